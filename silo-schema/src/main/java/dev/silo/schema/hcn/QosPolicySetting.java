package dev.silo.schema.hcn;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Endpoint egress bandwidth cap in bytes per second (hcsshim {@code hcn.QosPolicySetting}); always
 * written.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record QosPolicySetting(
    @JsonProperty("MaximumOutgoingBandwidthInBytes") @JsonInclude(JsonInclude.Include.ALWAYS)
        long maximumOutgoingBandwidthInBytes)
    implements EndpointPolicySettings {}
