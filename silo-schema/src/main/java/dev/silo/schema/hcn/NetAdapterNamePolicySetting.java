package dev.silo.schema.hcn;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/** Uplink NIC of a network (hcsshim {@code hcn.NetAdapterNameNetworkPolicySetting}). */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record NetAdapterNamePolicySetting(
    @JsonProperty("NetworkAdapterName") @Nullable String networkAdapterName)
    implements NetworkPolicySettings {}
