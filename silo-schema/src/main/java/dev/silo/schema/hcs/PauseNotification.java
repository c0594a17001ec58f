package dev.silo.schema.hcs;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/** Pause notice shown to components inside a VM (hcsshim {@code schema2.PauseNotification}). */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record PauseNotification(@JsonProperty("Reason") @Nullable PauseReason reason) {}
