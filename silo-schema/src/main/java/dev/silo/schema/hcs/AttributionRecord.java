package dev.silo.schema.hcs;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * One cause recorded for a system exit or failure (hcsshim {@code schema2.AttributionRecord});
 * modelled for containers.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record AttributionRecord(
    @JsonProperty("WorkerExit") @Nullable WorkerExit workerExit,
    @JsonProperty("OperationFailure") @Nullable OperationFailure operationFailure,
    @JsonProperty("SystemExit") @Nullable SystemExit systemExit) {}
