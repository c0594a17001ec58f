package dev.silo.schema.hcn;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * Provider (underlay) address of an endpoint or network (hcsshim {@code
 * hcn.ProviderAddressEndpointPolicySetting}).
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ProviderAddressPolicySetting(
    @JsonProperty("ProviderAddress") @Nullable String providerAddress)
    implements EndpointPolicySettings, NetworkPolicySettings {}
