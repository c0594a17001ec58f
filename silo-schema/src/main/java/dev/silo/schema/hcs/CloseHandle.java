package dev.silo.schema.hcs;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/** Which standard handle of a process to close (hcsshim {@code schema2.CloseHandle}). */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record CloseHandle(@JsonProperty("Handle") @Nullable StdHandle handle) {}
