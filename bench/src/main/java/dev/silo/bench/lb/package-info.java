/**
 * Load balancer programming benchmark: HNS load balancers through the in-process HostNetworkService
 * (nft map elements) side by side with kube-proxy's nftables ruleset shape.
 */
@NullMarked
package dev.silo.bench.lb;

import org.jspecify.annotations.NullMarked;
