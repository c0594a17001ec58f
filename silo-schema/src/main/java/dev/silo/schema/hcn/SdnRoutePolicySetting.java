package dev.silo.schema.hcn;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/** Endpoint SDN route (hcsshim {@code hcn.SDNRoutePolicySetting}). */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record SdnRoutePolicySetting(
    @JsonProperty("DestinationPrefix") @Nullable String destinationPrefix,
    @JsonProperty("NextHop") @Nullable String nextHop,
    @JsonProperty("NeedEncap") @Nullable Boolean needEncap)
    implements EndpointPolicySettings {}
