package dev.silo.schema.hcn;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * VSID (VXLAN VNI) isolation of a subnet (hcsshim {@code hcn.VsidPolicySetting}); always written.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record VsidPolicySetting(
    @JsonProperty("IsolationId") @JsonInclude(JsonInclude.Include.ALWAYS) long isolationId)
    implements SubnetPolicySettings {}
