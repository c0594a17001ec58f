package dev.silo.schema.hcs;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * Memory limit of a container (hcsshim {@code schema2.ContainerMemory}).
 *
 * @param sizeInMB limit in MiB (Silo: {@code memory.max})
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ContainerMemory(@JsonProperty("SizeInMB") @Nullable Long sizeInMB) {}
