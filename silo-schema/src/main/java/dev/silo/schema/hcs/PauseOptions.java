package dev.silo.schema.hcs;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/** Options of {@code HcsPauseComputeSystem} (hcsshim {@code schema2.PauseOptions}). */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record PauseOptions(
    @JsonProperty("SuspensionLevel") @Nullable PauseSuspensionLevel suspensionLevel,
    @JsonProperty("HostedNotification") @Nullable PauseNotification hostedNotification) {}
