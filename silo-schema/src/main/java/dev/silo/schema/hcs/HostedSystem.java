package dev.silo.schema.hcs;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * Windows container hosted by another compute system, with its own schema version (hcsshim {@code
 * schema2.HostedSystem}).
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record HostedSystem(
    @JsonProperty("SchemaVersion") @Nullable Version schemaVersion,
    @JsonProperty("Container") @Nullable Container container) {}
