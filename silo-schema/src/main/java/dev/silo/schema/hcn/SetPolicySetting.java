package dev.silo.schema.hcn;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * Named IP set of a network for ACLs (hcsshim {@code hcn.SetPolicySetting}); PolicyType IPSET or
 * NESTEDIPSET, Values comma separated.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record SetPolicySetting(
    @JsonProperty("Id") @Nullable String id,
    @JsonProperty("Name") @Nullable String name,
    @JsonProperty("PolicyType") @Nullable String policyType,
    @JsonProperty("Values") @Nullable String values)
    implements NetworkPolicySettings {}
