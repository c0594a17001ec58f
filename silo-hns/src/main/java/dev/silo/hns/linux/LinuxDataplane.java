package dev.silo.hns.linux;

import dev.silo.hns.HnsOptions;
import dev.silo.hns.spi.Dataplane;
import dev.silo.hns.spi.DataplaneException;
import dev.silo.hns.spi.KernelInventory;
import dev.silo.hns.spi.ObjectKind;
import dev.silo.hns.spi.Undo;
import dev.silo.linux.net.NetNs;
import dev.silo.linux.net.Rtnetlink;
import dev.silo.schema.hcn.HostComputeEndpoint;
import dev.silo.schema.hcn.HostComputeLoadBalancer;
import dev.silo.schema.hcn.HostComputeNamespace;
import dev.silo.schema.hcn.HostComputeNetwork;
import dev.silo.schema.hcn.NetworkType;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The Linux kernel {@link Dataplane}: one HNS host is one network namespace (the process's own or a
 * named one), HCN namespaces are named netns {@code SCOPE-ID} under {@code /run/netns}, and
 * networks go to a per-type driver (nat only for now).
 *
 * <pre>{@code
 * LinuxDataplane dp = LinuxDataplane.open((String) null);   // this process's namespace
 * HostNetworkService hns = HostNetworkService.open(HnsOptions.defaults(dp));
 * }</pre>
 */
public final class LinuxDataplane implements Dataplane, AutoCloseable {
  private final Host host;
  private final String scope;
  private final NatDriver nat;
  private final Attach attach;
  private final LbDriver lbs;

  private LinuxDataplane(Host host) {
    this.host = host;
    this.scope = Names.scope(host.netnsName());
    this.nat = new NatDriver(host);
    this.attach = new Attach(host);
    this.lbs = new LbDriver(host);
  }

  /**
   * Opens the dataplane of the HNS host in {@code /run/netns/HOSTNETNS}, or in the calling
   * process's own network namespace when null.
   */
  public static LinuxDataplane open(@Nullable String hostNetns) throws DataplaneException {
    try {
      return new LinuxDataplane(Host.open(hostNetns));
    } catch (RuntimeException e) {
      throw new DataplaneException("open Linux dataplane: " + e.getMessage(), e);
    }
  }

  /** Opens the dataplane of the host netns the options name ({@link HnsOptions#hostNetns()}). */
  public static LinuxDataplane open(HnsOptions options) throws DataplaneException {
    return open(options.hostNetns());
  }

  /**
   * The nsfs file of HCN namespace {@code namespaceId} on the HNS host in {@code hostNetns} (null:
   * the process's own), without opening the dataplane.
   */
  public static Path netnsPath(@Nullable String hostNetns, String namespaceId) {
    return NetNs.RUN_DIR.resolve(Names.netns(Names.scope(hostNetns), namespaceId));
  }

  /** The named netns (under {@code /run/netns}) holding HCN namespace {@code namespaceId}. */
  public String netnsName(String namespaceId) {
    return Names.netns(scope, namespaceId);
  }

  /**
   * The nsfs file of HCN namespace {@code namespaceId}, what a container's OCI spec names as its
   * network namespace ({@code linux.namespaces[type=network].path}).
   */
  public Path netnsPath(String namespaceId) {
    return NetNs.RUN_DIR.resolve(netnsName(namespaceId));
  }

  /** The host end of an endpoint's veth pair in the host netns. */
  public static String hostVethName(String endpointId) {
    return Names.hostVeth(endpointId);
  }

  /** The bridge of a nat network in the host netns. */
  public static String bridgeName(String networkId) {
    return Names.bridge(networkId);
  }

  @Override
  public boolean supports(NetworkType type) {
    return type == NetworkType.NAT;
  }

  @Override
  public synchronized Undo createNetwork(HostComputeNetwork network) throws DataplaneException {
    return nat(network).createNetwork(network);
  }

  @Override
  public synchronized Undo deleteNetwork(HostComputeNetwork network) throws DataplaneException {
    return nat(network).deleteNetwork(network);
  }

  @Override
  public Undo applyNetworkPolicies(HostComputeNetwork before, HostComputeNetwork after) {
    return Undo.NONE; // nat has no network policies to program yet
  }

  @Override
  public synchronized Undo createNamespace(HostComputeNamespace namespace)
      throws DataplaneException {
    String name = netnsName(String.valueOf(namespace.id()));
    return Steps.run(
        "create netns " + name,
        s -> {
          NetNs ns = NetNs.create(name);
          s.add(() -> deleteNetns(name));
          try (Rtnetlink in = Rtnetlink.open(ns)) {
            in.links().setUp("lo");
          }
        });
  }

  @Override
  public synchronized Undo deleteNamespace(HostComputeNamespace namespace)
      throws DataplaneException {
    String name = netnsName(String.valueOf(namespace.id()));
    return Steps.run(
        "delete netns " + name,
        s -> {
          if (NetNs.exists(name)) {
            NetNs.delete(name);
            s.add(() -> createNamespace(namespace));
          }
        });
  }

  @Override
  public synchronized Undo createEndpoint(HostComputeNetwork network, HostComputeEndpoint endpoint)
      throws DataplaneException {
    return nat(network).createEndpoint(network, endpoint);
  }

  @Override
  public synchronized Undo deleteEndpoint(HostComputeNetwork network, HostComputeEndpoint endpoint)
      throws DataplaneException {
    Undo policies = nat(network).deleteEndpoint(network, endpoint);
    String hostEnd = Names.hostVeth(String.valueOf(endpoint.id()));
    try {
      host.deleteLinkIfPresent(hostEnd); // normally already gone with the detach
    } catch (RuntimeException e) {
      policies.run();
      throw new DataplaneException("delete endpoint " + endpoint.id() + ": " + e.getMessage(), e);
    }
    return policies;
  }

  @Override
  public synchronized Undo applyEndpointPolicies(
      HostComputeNetwork network, HostComputeEndpoint before, HostComputeEndpoint after)
      throws DataplaneException {
    return nat(network).applyEndpointPolicies(before, after);
  }

  @Override
  public synchronized Undo attachEndpoint(
      HostComputeNamespace namespace, HostComputeNetwork network, HostComputeEndpoint endpoint)
      throws DataplaneException {
    nat(network);
    NetNs ns = openNetns(namespace);
    return attach.attach(ns, bridgeName(String.valueOf(network.id())), network, endpoint);
  }

  @Override
  public synchronized Undo detachEndpoint(
      HostComputeNamespace namespace, HostComputeNetwork network, HostComputeEndpoint endpoint)
      throws DataplaneException {
    nat(network);
    String name = netnsName(String.valueOf(namespace.id()));
    // the detach itself only needs the host end; the namespace matters for the undo
    NetNs ns = NetNs.exists(name) ? NetNs.open(name) : NetNs.ofPath(NetNs.RUN_DIR.resolve(name));
    return attach.detach(ns, bridgeName(String.valueOf(network.id())), network, endpoint);
  }

  /** Programs the load balancer as map elements of table {@code ip silolb} (see LbTable). */
  @Override
  public synchronized Undo programLoadBalancer(
      HostComputeLoadBalancer loadBalancer, List<HostComputeEndpoint> backends)
      throws DataplaneException {
    return lbs.program(loadBalancer, backends);
  }

  @Override
  public synchronized Undo removeLoadBalancer(HostComputeLoadBalancer loadBalancer)
      throws DataplaneException {
    return lbs.remove(loadBalancer);
  }

  @Override
  public synchronized KernelInventory inventory() throws DataplaneException {
    try {
      KernelInventory links = Inventory.scan(host, scope, nat);
      return new KernelInventory(
          links.networks(), links.endpoints(), links.namespaces(), lbs.owners());
    } catch (RuntimeException e) {
      throw new DataplaneException("inventory: " + e.getMessage(), e);
    }
  }

  @Override
  public synchronized void removeOrphan(ObjectKind kind, String id) throws DataplaneException {
    Steps.check(
        "remove orphan " + kind + " " + id,
        s -> {
          switch (kind) {
            case NETWORK -> removeNetworkLink(Inventory.linkOf(host, id, Names.BRIDGE_PREFIX));
            case ENDPOINT -> removeEndpoint(id);
            case NAMESPACE -> deleteNetns(netnsName(id));
            case LOAD_BALANCER -> lbs.removeOrphan(id);
          }
        });
  }

  private void removeEndpoint(String id) {
    if (id.startsWith(Inventory.NFT_ONLY)) {
      nat.deleteOwned(id.substring(Inventory.NFT_ONLY.length()));
    } else {
      host.deleteLinkIfPresent(Inventory.linkOf(host, id, Names.VETH_PREFIX));
      nat.deleteOwned(id.toLowerCase(Locale.ROOT));
    }
  }

  private void removeNetworkLink(String bridge) {
    Map<String, String> aliases = host.rt().links().aliases();
    String cidr = Inventory.bridgeSubnet(host, bridge);
    host.deleteLinkIfPresent(bridge);
    if (cidr != null && aliases.containsKey(bridge)) {
      nat.removeSubnet(cidr, bridge);
    }
  }

  private static void deleteNetns(String name) {
    if (NetNs.exists(name)) {
      NetNs.delete(name);
    }
  }

  private NetNs openNetns(HostComputeNamespace namespace) throws DataplaneException {
    String name = netnsName(String.valueOf(namespace.id()));
    if (!NetNs.exists(name)) {
      throw new DataplaneException("namespace " + namespace.id() + ": netns " + name + " is gone");
    }
    return NetNs.open(name);
  }

  private NatDriver nat(HostComputeNetwork network) throws DataplaneException {
    if (network.type() != NetworkType.NAT) {
      throw new DataplaneException("network type " + network.type() + " is not supported here");
    }
    return nat;
  }

  @Override
  public void close() {
    host.close();
  }
}
