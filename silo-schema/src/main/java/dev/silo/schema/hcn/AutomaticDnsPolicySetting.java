package dev.silo.schema.hcn;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/** Automatic DNS switch of a network (hcsshim {@code hcn.AutomaticDNSNetworkPolicySetting}). */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record AutomaticDnsPolicySetting(@JsonProperty("Enable") @Nullable Boolean enable)
    implements NetworkPolicySettings {}
