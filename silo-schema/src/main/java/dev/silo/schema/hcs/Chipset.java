package dev.silo.schema.hcs;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/** Firmware and boot settings of a VM (hcsshim {@code schema2.Chipset}); modelled minimally. */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Chipset(
    @JsonProperty("Uefi") @Nullable Uefi uefi,
    @JsonProperty("LinuxKernelDirect") @Nullable LinuxKernelDirect linuxKernelDirect) {}
