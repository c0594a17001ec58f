package dev.silo.schema.hcn;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * The {@code Data} of a namespace resource (hcsshim {@code hcn.NamespaceResourceEndpoint} / {@code
 * NamespaceResourceContainer}).
 *
 * @param id endpoint or container id
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ResourceId(@JsonProperty("ID") @Nullable String id) {}
