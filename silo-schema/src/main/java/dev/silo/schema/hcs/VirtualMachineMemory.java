package dev.silo.schema.hcs;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * Memory of a VM (hcsshim {@code schema2.VirtualMachineMemory}); modelled minimally.
 *
 * @param sizeInMB guest memory in MiB
 * @param allowOvercommit back guest memory with pageable host memory
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record VirtualMachineMemory(
    @JsonProperty("SizeInMB") @Nullable Long sizeInMB,
    @JsonProperty("AllowOvercommit") @Nullable Boolean allowOvercommit) {}
