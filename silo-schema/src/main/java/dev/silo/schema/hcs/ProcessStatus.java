package dev.silo.schema.hcs;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * Exit status of a process, from {@code HcsWaitForProcessExit} or the ProcessExited event (hcsshim
 * {@code schema2.ProcessStatus}).
 *
 * @param exitCode exit code (uint32); valid when Exited and LastWaitResult is S_OK
 * @param lastWaitResult HRESULT of waiting for the exit
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ProcessStatus(
    @JsonProperty("ProcessId") int processId,
    @JsonProperty("Exited") @Nullable Boolean exited,
    @JsonProperty("ExitCode") @Nullable Long exitCode,
    @JsonProperty("LastWaitResult") @Nullable Integer lastWaitResult) {}
