package dev.silo.schema.hcs;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * One entry of a compute system's process list (hcsshim {@code schema2.ProcessDetails}).
 *
 * @param createTimestamp RFC 3339 time
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ProcessDetails(
    @JsonProperty("ProcessId") @Nullable Integer processId,
    @JsonProperty("ImageName") @Nullable String imageName,
    @JsonProperty("CreateTimestamp") @Nullable String createTimestamp,
    @JsonProperty("UserTime100ns") @Nullable Long userTime100ns,
    @JsonProperty("KernelTime100ns") @Nullable Long kernelTime100ns,
    @JsonProperty("MemoryCommitBytes") @Nullable Long memoryCommitBytes,
    @JsonProperty("MemoryWorkingSetPrivateBytes") @Nullable Long memoryWorkingSetPrivateBytes,
    @JsonProperty("MemoryWorkingSetSharedBytes") @Nullable Long memoryWorkingSetSharedBytes) {}
