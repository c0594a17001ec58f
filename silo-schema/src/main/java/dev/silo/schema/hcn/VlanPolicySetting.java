package dev.silo.schema.hcn;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** VLAN isolation of a subnet (hcsshim {@code hcn.VlanPolicySetting}); always written. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record VlanPolicySetting(
    @JsonProperty("IsolationId") @JsonInclude(JsonInclude.Include.ALWAYS) long isolationId)
    implements SubnetPolicySettings {}
