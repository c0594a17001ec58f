package dev.silo.schema.hcn;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * Endpoint port mapping, host port to container port (hcsshim {@code
 * hcn.PortMappingPolicySetting}); Protocol 6 = TCP, 17 = UDP.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record PortMappingPolicySetting(
    @JsonProperty("Protocol") @Nullable Integer protocol,
    @JsonProperty("InternalPort") @Nullable Integer internalPort,
    @JsonProperty("ExternalPort") @Nullable Integer externalPort,
    @JsonProperty("VIP") @Nullable String vip,
    @JsonProperty("Flags") @Nullable Integer flags)
    implements EndpointPolicySettings {}
