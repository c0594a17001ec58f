package dev.silo.schema.hcs;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/** Document given to {@code HcsSignalProcess} (hcsshim {@code schema2.SignalProcessOptions}). */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record SignalProcessOptions(@JsonProperty("Signal") @Nullable ProcessSignal signal) {}
