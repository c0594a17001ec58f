package dev.silo.schema.hcs;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/** Storage I/O of a container (hcsshim {@code schema2.StorageStats}). */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record StorageStats(
    @JsonProperty("ReadCountNormalized") @Nullable Long readCountNormalized,
    @JsonProperty("ReadSizeBytes") @Nullable Long readSizeBytes,
    @JsonProperty("WriteCountNormalized") @Nullable Long writeCountNormalized,
    @JsonProperty("WriteSizeBytes") @Nullable Long writeSizeBytes) {}
