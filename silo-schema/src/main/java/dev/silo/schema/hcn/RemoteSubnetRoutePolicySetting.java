package dev.silo.schema.hcn;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Remote prefix reached through a VTEP on an overlay network (hcsshim {@code
 * hcn.RemoteSubnetRoutePolicySetting}); all fields always written.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record RemoteSubnetRoutePolicySetting(
    @JsonProperty("DestinationPrefix") @JsonInclude(JsonInclude.Include.ALWAYS)
        String destinationPrefix,
    @JsonProperty("IsolationId") @JsonInclude(JsonInclude.Include.ALWAYS) int isolationId,
    @JsonProperty("ProviderAddress") @JsonInclude(JsonInclude.Include.ALWAYS)
        String providerAddress,
    @JsonProperty("DistributedRouterMacAddress") @JsonInclude(JsonInclude.Include.ALWAYS)
        String distributedRouterMacAddress)
    implements NetworkPolicySettings {}
