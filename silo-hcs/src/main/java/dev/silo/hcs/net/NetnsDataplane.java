package dev.silo.hcs.net;

import dev.silo.hns.spi.Dataplane;
import dev.silo.hns.spi.DataplaneException;
import dev.silo.hns.spi.KernelInventory;
import dev.silo.hns.spi.ObjectKind;
import dev.silo.hns.spi.Undo;
import dev.silo.linux.net.NetException;
import dev.silo.linux.net.NetNs;
import dev.silo.schema.hcn.HostComputeEndpoint;
import dev.silo.schema.hcn.HostComputeLoadBalancer;
import dev.silo.schema.hcn.HostComputeNamespace;
import dev.silo.schema.hcn.HostComputeNetwork;
import dev.silo.schema.hcn.NetworkType;
import java.util.List;

/**
 * Stop-gap dataplane until {@code dev.silo.hns.linux.LinuxDataplane} lands: it only gives every
 * HostComputeNamespace its network namespace {@code /run/netns/<id>} (so containers can join it);
 * links, addresses and nft rules are not programmed.
 *
 * <p>Its inventory is empty on purpose: listing /run/netns would make a service over one store
 * delete the namespaces of another store as orphans (tests run several stores side by side).
 */
public final class NetnsDataplane implements Dataplane {

  @Override
  public boolean supports(NetworkType type) {
    return true;
  }

  @Override
  public Undo createNamespace(HostComputeNamespace namespace) throws DataplaneException {
    String name = Hns.netnsName(namespace);
    if (NetNs.exists(name)) {
      // Reconcile re-creates what the (empty) inventory misses: an existing netns is kept as is.
      return Undo.NONE;
    }
    try {
      NetNs.create(name);
    } catch (NetException e) {
      throw new DataplaneException("netns add " + name + ": " + e.getMessage(), e);
    }
    return () -> deleteQuietly(name);
  }

  @Override
  public Undo deleteNamespace(HostComputeNamespace namespace) throws DataplaneException {
    String name = Hns.netnsName(namespace);
    try {
      if (NetNs.exists(name)) {
        NetNs.delete(name);
      }
    } catch (NetException e) {
      throw new DataplaneException("netns del " + name + ": " + e.getMessage(), e);
    }
    return () -> {
      try {
        NetNs.create(name);
      } catch (NetException e) {
        throw new DataplaneException("netns add " + name + ": " + e.getMessage(), e);
      }
    };
  }

  private static void deleteQuietly(String name) {
    try {
      NetNs.delete(name);
    } catch (NetException e) {
      // already gone: the undo's goal is reached
    }
  }

  @Override
  public Undo createNetwork(HostComputeNetwork network) {
    return Undo.NONE;
  }

  @Override
  public Undo deleteNetwork(HostComputeNetwork network) {
    return Undo.NONE;
  }

  @Override
  public Undo applyNetworkPolicies(HostComputeNetwork before, HostComputeNetwork after) {
    return Undo.NONE;
  }

  @Override
  public Undo createEndpoint(HostComputeNetwork network, HostComputeEndpoint endpoint) {
    return Undo.NONE;
  }

  @Override
  public Undo deleteEndpoint(HostComputeNetwork network, HostComputeEndpoint endpoint) {
    return Undo.NONE;
  }

  @Override
  public Undo applyEndpointPolicies(
      HostComputeNetwork network, HostComputeEndpoint before, HostComputeEndpoint after) {
    return Undo.NONE;
  }

  @Override
  public Undo attachEndpoint(
      HostComputeNamespace namespace, HostComputeNetwork network, HostComputeEndpoint endpoint) {
    return Undo.NONE;
  }

  @Override
  public Undo detachEndpoint(
      HostComputeNamespace namespace, HostComputeNetwork network, HostComputeEndpoint endpoint) {
    return Undo.NONE;
  }

  @Override
  public Undo programLoadBalancer(
      HostComputeLoadBalancer loadBalancer, List<HostComputeEndpoint> backends) {
    return Undo.NONE;
  }

  @Override
  public Undo removeLoadBalancer(HostComputeLoadBalancer loadBalancer) {
    return Undo.NONE;
  }

  @Override
  public KernelInventory inventory() {
    return KernelInventory.EMPTY;
  }

  @Override
  public void removeOrphan(ObjectKind kind, String id) {
    // the inventory reports nothing, so nothing is ever an orphan
  }
}
