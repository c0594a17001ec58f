package dev.silo.hns.spi;

import java.util.Set;

/**
 * The HCN objects the dataplane finds programmed in the kernel, by id; reconcile compares it with
 * the store to remove orphans and re-create what is missing.
 *
 * @param networks ids of networks with kernel state (bridge, vxlan, nft chains…)
 * @param endpoints ids of endpoints with kernel state (veth, addresses, DNAT rules…)
 * @param namespaces ids of namespaces with a network namespace
 * @param loadBalancers ids of programmed load balancers
 * @param attachedEndpoints ids of endpoints whose attachment (a veth in a namespace, wired to the
 *     network) is complete; reconcile re-creates a stored attached endpoint missing here
 */
public record KernelInventory(
    Set<String> networks,
    Set<String> endpoints,
    Set<String> namespaces,
    Set<String> loadBalancers,
    Set<String> attachedEndpoints) {

  /** Nothing programmed. */
  public static final KernelInventory EMPTY =
      new KernelInventory(Set.of(), Set.of(), Set.of(), Set.of(), Set.of());

  /** Copies the sets so the record stays immutable. */
  public KernelInventory {
    networks = Set.copyOf(networks);
    endpoints = Set.copyOf(endpoints);
    namespaces = Set.copyOf(namespaces);
    loadBalancers = Set.copyOf(loadBalancers);
    attachedEndpoints = Set.copyOf(attachedEndpoints);
  }
}
