package dev.silo.schema.hcs;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * Attribution of an exit to the end of the system's worker process (hcsshim {@code
 * schema2.WorkerExit}).
 *
 * @param type how the worker ended
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record WorkerExit(
    @JsonProperty("ExitCode") @Nullable Long exitCode,
    @JsonProperty("Type") @Nullable String type,
    @JsonProperty("Detail") @Nullable String detail,
    @JsonProperty("Initiator") @Nullable ExitInitiator initiator) {}
