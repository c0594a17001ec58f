package dev.silo.schema.hcs;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** Console dimensions in character cells (hcsshim {@code schema2.ConsoleSize}). */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ConsoleSize(@JsonProperty("Height") int height, @JsonProperty("Width") int width) {}
