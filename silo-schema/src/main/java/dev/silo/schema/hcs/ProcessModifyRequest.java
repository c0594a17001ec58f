package dev.silo.schema.hcs;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/** Document given to {@code HcsModifyProcess} (hcsshim {@code schema2.ProcessModifyRequest}). */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ProcessModifyRequest(
    @JsonProperty("Operation") @Nullable ModifyOperation operation,
    @JsonProperty("ConsoleSize") @Nullable ConsoleSize consoleSize,
    @JsonProperty("CloseHandle") @Nullable CloseHandle closeHandle) {}
