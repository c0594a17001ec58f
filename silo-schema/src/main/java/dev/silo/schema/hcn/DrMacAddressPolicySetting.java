package dev.silo.schema.hcn;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * Distributed-router MAC of an overlay network (hcsshim {@code
 * hcn.DrMacAddressNetworkPolicySetting}).
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record DrMacAddressPolicySetting(@JsonProperty("Address") @Nullable String address)
    implements NetworkPolicySettings {}
