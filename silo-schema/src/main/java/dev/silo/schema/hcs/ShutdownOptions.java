package dev.silo.schema.hcs;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * Options of {@code HcsShutDownComputeSystem}, schema 2.5 (hcsshim {@code
 * schema2.ShutdownOptions}).
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ShutdownOptions(
    @JsonProperty("Mechanism") @Nullable ShutdownMechanism mechanism,
    @JsonProperty("Type") @Nullable ShutdownType type,
    @JsonProperty("Force") @Nullable Boolean force,
    @JsonProperty("Reason") @Nullable String reason) {}
