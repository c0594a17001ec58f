package dev.silo.schema.hcs;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/** UEFI firmware settings of a VM (hcsshim {@code schema2.Uefi}); modelled minimally. */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Uefi(
    @JsonProperty("EnableDebugger") @Nullable Boolean enableDebugger,
    @JsonProperty("SecureBootTemplateId") @Nullable String secureBootTemplateId,
    @JsonProperty("BootThis") @Nullable UefiBootEntry bootThis,
    @JsonProperty("StopOnBootFailure") @Nullable Boolean stopOnBootFailure) {}
