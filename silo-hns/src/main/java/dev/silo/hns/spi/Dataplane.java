package dev.silo.hns.spi;

import dev.silo.schema.hcn.HostComputeEndpoint;
import dev.silo.schema.hcn.HostComputeLoadBalancer;
import dev.silo.schema.hcn.HostComputeNamespace;
import dev.silo.schema.hcn.HostComputeNetwork;
import dev.silo.schema.hcn.NetworkType;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Programs HCN objects into the kernel (the role VFP, WinNAT and the vSwitch play on Windows).
 *
 * <p>The service calls it inside its store transaction, after validation and before commit. Every
 * step returns an {@link Undo} that puts the kernel back; if a later step or the commit fails the
 * service runs the undos in reverse, so a failed call leaves neither a row nor a kernel object.
 * Implementations dispatch on the network {@link NetworkType} to a per-driver {@link
 * NetworkDriver}; the objects handed in are complete (ids, addresses and MAC decided).
 */
public interface Dataplane {

  /** Whether networks of this type can be programmed here. */
  boolean supports(NetworkType type);

  /**
   * Why {@code network} cannot be created on this host although its type is supported (its uplink
   * adapter is missing, …), checked before anything is written; null when it can.
   */
  default @Nullable String invalidNetwork(HostComputeNetwork network) {
    return null;
  }

  Undo createNetwork(HostComputeNetwork network) throws DataplaneException;

  Undo deleteNetwork(HostComputeNetwork network) throws DataplaneException;

  /** Network policies changed (e.g. a RemoteSubnetRoute added): program the new set. */
  Undo applyNetworkPolicies(HostComputeNetwork before, HostComputeNetwork after)
      throws DataplaneException;

  Undo createNamespace(HostComputeNamespace namespace) throws DataplaneException;

  Undo deleteNamespace(HostComputeNamespace namespace) throws DataplaneException;

  /** Creates the endpoint's host side (veth peer, bridge port…); not yet in any namespace. */
  Undo createEndpoint(HostComputeNetwork network, HostComputeEndpoint endpoint)
      throws DataplaneException;

  Undo deleteEndpoint(HostComputeNetwork network, HostComputeEndpoint endpoint)
      throws DataplaneException;

  /** Programs the endpoint's policies (port maps, ACLs, QoS, outbound NAT) from before to after. */
  Undo applyEndpointPolicies(
      HostComputeNetwork network, HostComputeEndpoint before, HostComputeEndpoint after)
      throws DataplaneException;

  /** Moves the endpoint into the namespace and configures its addresses and routes there. */
  Undo attachEndpoint(
      HostComputeNamespace namespace, HostComputeNetwork network, HostComputeEndpoint endpoint)
      throws DataplaneException;

  Undo detachEndpoint(
      HostComputeNamespace namespace, HostComputeNetwork network, HostComputeEndpoint endpoint)
      throws DataplaneException;

  /** Programs (or re-programs in place) a load balancer over its backends. */
  Undo programLoadBalancer(HostComputeLoadBalancer loadBalancer, List<HostComputeEndpoint> backends)
      throws DataplaneException;

  Undo removeLoadBalancer(HostComputeLoadBalancer loadBalancer) throws DataplaneException;

  /**
   * Programs many load balancers as one change (a full sync, a reconcile): the Linux dataplane
   * makes it one atomic nft batch instead of one per load balancer. The default programs them one
   * by one and undoes the finished ones if a later one fails.
   */
  default Undo programLoadBalancers(List<LoadBalancerBackends> loadBalancers)
      throws DataplaneException {
    List<Undo> done = new ArrayList<>();
    Undo all =
        () -> {
          for (int i = done.size() - 1; i >= 0; i--) {
            done.get(i).run();
          }
        };
    try {
      for (LoadBalancerBackends lb : loadBalancers) {
        done.add(programLoadBalancer(lb.loadBalancer(), lb.backends()));
      }
    } catch (DataplaneException | RuntimeException e) {
      try {
        all.run();
      } catch (DataplaneException | RuntimeException u) {
        e.addSuppressed(u);
      }
      throw e;
    }
    return all;
  }

  /**
   * Whether a created but unattached endpoint has state in the kernel, so that its absence from the
   * {@link #inventory} means it is missing (an endpoint without policies may have none).
   */
  default boolean programsUnattached(HostComputeNetwork network, HostComputeEndpoint endpoint) {
    return true;
  }

  /** What is programmed in the kernel now. */
  KernelInventory inventory() throws DataplaneException;

  /** Removes kernel state of an object the store does not know (left by a crash). */
  void removeOrphan(ObjectKind kind, String id) throws DataplaneException;
}
