package dev.silo.schema.hcn;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/** Source MAC of a network (hcsshim {@code hcn.SourceMacAddressNetworkPolicySetting}). */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record SourceMacAddressPolicySetting(
    @JsonProperty("SourceMacAddress") @Nullable String sourceMacAddress)
    implements NetworkPolicySettings {}
