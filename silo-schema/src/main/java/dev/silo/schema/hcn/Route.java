package dev.silo.schema.hcn;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * A route of a subnet or endpoint (hcsshim {@code hcn.Route}); {@code 0.0.0.0/0} names the gateway.
 *
 * @param nextHop gateway address
 * @param destinationPrefix CIDR the route covers
 * @param metric route metric (u16)
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Route(
    @JsonProperty("NextHop") @Nullable String nextHop,
    @JsonProperty("DestinationPrefix") @Nullable String destinationPrefix,
    @JsonProperty("Metric") @Nullable Integer metric) {}
