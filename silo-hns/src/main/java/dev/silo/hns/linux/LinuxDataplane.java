package dev.silo.hns.linux;

import dev.silo.hns.HnsOptions;
import dev.silo.hns.spi.Dataplane;
import dev.silo.hns.spi.DataplaneException;
import dev.silo.hns.spi.KernelInventory;
import dev.silo.hns.spi.LoadBalancerBackends;
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
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The Linux kernel {@link Dataplane}: one HNS host is one network namespace (the process's own or a
 * named one), HCN namespaces are named netns {@code SCOPE-ID} under {@code /run/netns}, and
 * networks go to the {@link LinuxDriver} of their type.
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
  private final EndpointPolicies policies;
  private final Map<NetworkType, LinuxDriver> drivers = new EnumMap<>(NetworkType.class);
  private final LbDriver lbs;

  private LinuxDataplane(Host host) {
    this.host = host;
    this.scope = Names.scope(host.netnsName());
    this.nat = new NatDriver(host);
    this.policies = new EndpointPolicies(host, this::netnsName);
    this.lbs = new LbDriver(host);
    register(nat);
    register(new TransparentDriver(host, scope));
    register(new L2BridgeDriver(host, scope));
    register(new L2TunnelDriver(host, scope));
    register(new OverlayDriver(host));
  }

  private void register(LinuxDriver driver) {
    drivers.put(driver.type(), driver);
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
    LinuxDriver d = drivers.get(type);
    return d != null && d.isApplicable();
  }

  @Override
  public synchronized @Nullable String invalidNetwork(HostComputeNetwork network) {
    LinuxDriver d = network.type() == null ? null : drivers.get(network.type());
    return d == null ? null : d.invalidNetwork(network);
  }

  @Override
  public synchronized Undo createNetwork(HostComputeNetwork network) throws DataplaneException {
    LinuxDriver d = driver(network);
    return Steps.run(
        "create network " + network.id(),
        s -> {
          s.add(d.createNetwork(network));
          s.add(policies.applyNetwork(network.withPolicies(List.of()), network));
        });
  }

  @Override
  public synchronized Undo deleteNetwork(HostComputeNetwork network) throws DataplaneException {
    LinuxDriver d = driver(network);
    return Steps.run(
        "delete network " + network.id(),
        s -> {
          s.add(policies.applyNetwork(network, network.withPolicies(List.of())));
          s.add(d.deleteNetwork(network));
        });
  }

  @Override
  public synchronized Undo applyNetworkPolicies(HostComputeNetwork before, HostComputeNetwork after)
      throws DataplaneException {
    LinuxDriver d = driver(after);
    return Steps.run(
        "network policies of " + after.id(),
        s -> {
          s.add(policies.applyNetwork(before, after));
          s.add(d.applyNetworkPolicies(before, after));
        });
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
    return driver(network).createEndpoint(network, endpoint);
  }

  @Override
  public synchronized Undo deleteEndpoint(HostComputeNetwork network, HostComputeEndpoint endpoint)
      throws DataplaneException {
    LinuxDriver d = driver(network);
    Undo policies =
        Steps.run(
            "delete endpoint " + endpoint.id(),
            s -> {
              s.add(this.policies.delete(network, endpoint));
              s.add(d.deleteEndpoint(network, endpoint));
            });
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
    LinuxDriver d = driver(network);
    return Steps.run(
        "endpoint policies of " + after.id(),
        s -> {
          s.add(d.applyEndpointPolicies(network, before, after));
          s.add(policies.apply(network, before, after));
        });
  }

  @Override
  public synchronized Undo attachEndpoint(
      HostComputeNamespace namespace, HostComputeNetwork network, HostComputeEndpoint endpoint)
      throws DataplaneException {
    LinuxDriver d = driver(network);
    NetNs ns = openNetns(namespace);
    return Steps.run(
        "attach endpoint " + endpoint.id(),
        s -> {
          s.add(d.attach(ns, network, endpoint));
          s.add(policies.attach(ns, endpoint));
        });
  }

  @Override
  public synchronized Undo detachEndpoint(
      HostComputeNamespace namespace, HostComputeNetwork network, HostComputeEndpoint endpoint)
      throws DataplaneException {
    LinuxDriver d = driver(network);
    String name = netnsName(String.valueOf(namespace.id()));
    // the detach itself only needs the host end; the namespace matters for the undo
    NetNs ns = NetNs.exists(name) ? NetNs.open(name) : NetNs.ofPath(NetNs.RUN_DIR.resolve(name));
    return d.detach(ns, network, endpoint);
  }

  /** Programs the load balancer as map elements of table {@code ip silolb} (see LbTable). */
  @Override
  public synchronized Undo programLoadBalancer(
      HostComputeLoadBalancer loadBalancer, List<HostComputeEndpoint> backends)
      throws DataplaneException {
    return lbs.program(loadBalancer, backends);
  }

  @Override
  public synchronized Undo programLoadBalancers(List<LoadBalancerBackends> loadBalancers)
      throws DataplaneException {
    return lbs.programAll(loadBalancers);
  }

  @Override
  public synchronized Undo removeLoadBalancer(HostComputeLoadBalancer loadBalancer)
      throws DataplaneException {
    return lbs.remove(loadBalancer);
  }

  /** Endpoints get their link at attach; before that only their policies are in the kernel. */
  @Override
  public boolean programsUnattached(HostComputeNetwork network, HostComputeEndpoint endpoint) {
    return !endpoint.policies().isEmpty();
  }

  @Override
  public synchronized KernelInventory inventory() throws DataplaneException {
    try {
      KernelInventory links = Inventory.scan(host, scope, nat);
      return new KernelInventory(
          links.networks(),
          links.endpoints(),
          links.namespaces(),
          lbs.owners(),
          links.attachedEndpoints());
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
            case NETWORK -> {
              if (id.startsWith(Names.VXLAN_PREFIX)) {
                host.deleteLinkIfPresent(id); // an overlay vxlan whose bridge is gone
              } else if (!UplinkInventory.removeNetwork(host, id)) {
                removeNetworkLink(Inventory.linkOf(host, id, Names.BRIDGE_PREFIX));
                if (!id.startsWith(Names.BRIDGE_PREFIX)) {
                  host.deleteLinkIfPresent(Names.vxlan(id));
                }
              }
            }
            case ENDPOINT -> {
              if (!UplinkInventory.removeEndpoint(scope, id)) {
                removeEndpoint(id);
              }
            }
            case NAMESPACE -> deleteNetns(netnsName(id));
            case LOAD_BALANCER -> lbs.removeOrphan(id);
          }
        });
  }

  private void removeEndpoint(String id) {
    host.deleteLinkIfPresent(Inventory.linkOf(host, id, Names.VETH_PREFIX));
    nat.deleteOwned(id.toLowerCase(Locale.ROOT));
    policies.deleteOwned(id);
  }

  private void removeNetworkLink(String bridge) {
    Map<String, String> aliases = host.rt().links().aliases();
    String cidr = Inventory.bridgeSubnet(host, bridge);
    host.deleteLinkIfPresent(bridge);
    if (cidr != null && aliases.containsKey(bridge)) {
      nat.removeSubnet(cidr);
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

  private LinuxDriver driver(HostComputeNetwork network) throws DataplaneException {
    LinuxDriver d = drivers.get(network.type());
    if (d == null) {
      throw new DataplaneException("network type " + network.type() + " is not supported here");
    }
    if (!d.isApplicable()) {
      throw new DataplaneException(
          "network type " + network.type() + " is not available here: " + d.unavailabilityCause());
    }
    return d;
  }

  @Override
  public void close() {
    host.close();
  }
}
