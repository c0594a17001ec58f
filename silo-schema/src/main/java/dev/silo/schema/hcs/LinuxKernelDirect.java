package dev.silo.schema.hcs;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * Direct Linux kernel boot of a VM without firmware (hcsshim {@code schema2.LinuxKernelDirect}).
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record LinuxKernelDirect(
    @JsonProperty("KernelFilePath") @Nullable String kernelFilePath,
    @JsonProperty("InitRdPath") @Nullable String initRdPath,
    @JsonProperty("KernelCmdLine") @Nullable String kernelCmdLine) {}
