package dev.silo.schema.hcs;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/** Memory use of a container in bytes (hcsshim {@code schema2.MemoryStats}). */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record MemoryStats(
    @JsonProperty("MemoryUsageCommitBytes") @Nullable Long memoryUsageCommitBytes,
    @JsonProperty("MemoryUsageCommitPeakBytes") @Nullable Long memoryUsageCommitPeakBytes,
    @JsonProperty("MemoryUsagePrivateWorkingSetBytes")
        @Nullable Long memoryUsagePrivateWorkingSetBytes) {}
