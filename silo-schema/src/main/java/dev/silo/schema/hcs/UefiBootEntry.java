package dev.silo.schema.hcs;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/** The device a VM's UEFI firmware boots (hcsshim {@code schema2.UefiBootEntry}). */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record UefiBootEntry(
    @JsonProperty("DeviceType") @Nullable UefiBootDevice deviceType,
    @JsonProperty("DevicePath") @Nullable String devicePath,
    @JsonProperty("DiskNumber") @Nullable Integer diskNumber,
    @JsonProperty("OptionalData") @Nullable String optionalData,
    @JsonProperty("VmbFsRootPath") @Nullable String vmbFsRootPath) {}
