package dev.silo.schema.hcn;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * A frontend port of a load balancer (hcsshim {@code hcn.LoadBalancerPortMapping}).
 *
 * @param protocol 6 TCP, 17 UDP
 * @param internalPort backend port
 * @param externalPort frontend port
 * @param distributionType 0 5-tuple, 1 SourceIPProtocol, 2 SourceIP
 * @param flags ILB 1, LocalRoutedVIP 2, UseMux 4, PreserveDIP 8, VipExternalIP 16
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record LoadBalancerPortMapping(
    @JsonProperty("Protocol") @Nullable Integer protocol,
    @JsonProperty("InternalPort") @Nullable Integer internalPort,
    @JsonProperty("ExternalPort") @Nullable Integer externalPort,
    @JsonProperty("DistributionType") @Nullable Integer distributionType,
    @JsonProperty("Flags") @Nullable Integer flags) {}
