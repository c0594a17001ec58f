package dev.silo.hns.linux;

import dev.silo.hns.spi.DataplaneException;
import dev.silo.hns.spi.Undo;
import dev.silo.linux.net.IpPrefix;
import dev.silo.linux.net.NetNs;
import dev.silo.linux.net.NetSysctl;
import dev.silo.schema.hcn.HostComputeEndpoint;
import dev.silo.schema.hcn.HostComputeNetwork;
import dev.silo.schema.hcn.NetworkType;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The nat driver (WinNAT on Windows): a Linux bridge per network holding the gateway address,
 * forwarding on, the subnet masqueraded through {@link NatTable} and PortMapping policies as DNAT
 * map elements.
 *
 * <p>Endpoints get no kernel object at create: the veth pair is made at attach, with its container
 * end born inside the namespace, so createEndpoint only programs the policies.
 */
final class NatDriver implements LinuxDriver {
  private final Host host;
  private final Attach attach;

  NatDriver(Host host) {
    this.host = host;
    this.attach = new Attach(host);
  }

  @Override
  public NetworkType type() {
    return NetworkType.NAT;
  }

  @Override
  public Undo createNetwork(HostComputeNetwork n) throws DataplaneException {
    String id = String.valueOf(n.id());
    String br = Names.bridge(id);
    IpPrefix subnet = Addressing.subnet(n);
    IpPrefix gateway = Addressing.gateway(n, subnet);
    return Steps.run(
        "nat network " + id,
        s -> {
          // a bridge of this name is this network's (reconcile after the table was flushed)
          host.deleteLinkIfPresent(br);
          host.rt().links().addBridge(br);
          s.add(() -> host.deleteLinkIfPresent(br));
          host.rt().links().setAlias(br, Names.NETWORK_ALIAS + id.toLowerCase(Locale.ROOT));
          host.rt().addresses().add(br, gateway);
          host.rt().links().setUp(br);
          NetSysctl.ipForward(host.ns(), true);
          // lets 127.0.0.1:PORT mappings leave through the bridge after DNAT (else a martian)
          NetSysctl.write(host.ns(), "ipv4.conf." + br + ".route_localnet", "1");
          host.nft().apply(NatTable.ensure() + NatTable.addSubnet(subnet.toString()));
          s.add(() -> removeSubnet(subnet.toString()));
        });
  }

  @Override
  public Undo deleteNetwork(HostComputeNetwork n) throws DataplaneException {
    String br = Names.bridge(String.valueOf(n.id()));
    IpPrefix subnet = Addressing.subnet(n);
    return Steps.run(
        "delete nat network " + n.id(),
        s -> {
          removeSubnet(subnet.toString());
          host.deleteLinkIfPresent(br);
          s.add(() -> createNetwork(n));
        });
  }

  @Override
  public Undo createEndpoint(HostComputeNetwork network, HostComputeEndpoint endpoint) {
    return Undo.NONE;
  }

  @Override
  public Undo deleteEndpoint(HostComputeNetwork network, HostComputeEndpoint endpoint)
      throws DataplaneException {
    return applyPolicies(endpoint, endpoint.withPolicies(List.of()));
  }

  @Override
  public Undo attach(NetNs ns, HostComputeNetwork network, HostComputeEndpoint endpoint)
      throws DataplaneException {
    return attach.attach(ns, Names.bridge(String.valueOf(network.id())), network, endpoint);
  }

  @Override
  public Undo detach(NetNs ns, HostComputeNetwork network, HostComputeEndpoint endpoint)
      throws DataplaneException {
    return attach.detach(ns, Names.bridge(String.valueOf(network.id())), network, endpoint);
  }

  @Override
  public Undo applyEndpointPolicies(
      HostComputeNetwork network, HostComputeEndpoint before, HostComputeEndpoint after)
      throws DataplaneException {
    return applyPolicies(before, after);
  }

  /**
   * Adds the elements (port maps, outbound NAT exceptions) only in {@code after} and deletes those
   * only in {@code before}, in one atomic batch.
   */
  private Undo applyPolicies(HostComputeEndpoint before, HostComputeEndpoint after)
      throws DataplaneException {
    Set<NatTable.Element> old = NatTable.elements(before);
    Set<NatTable.Element> now = NatTable.elements(after);
    Set<NatTable.Element> gone = new LinkedHashSet<>(old);
    gone.removeAll(now);
    Set<NatTable.Element> added = new LinkedHashSet<>(now);
    added.removeAll(old);
    if (gone.isEmpty() && added.isEmpty()) {
      return Undo.NONE;
    }
    String forward = batch(gone, added);
    String back = batch(added, gone);
    return Steps.run(
        "policies of endpoint " + after.id(),
        s -> {
          host.nft().apply(forward);
          s.add(() -> Steps.check("undo endpoint policies", x -> host.nft().apply(back)));
        });
  }

  private static String batch(Set<NatTable.Element> delete, Set<NatTable.Element> add) {
    StringBuilder b = new StringBuilder();
    delete.forEach(p -> b.append(p.delete()));
    add.forEach(p -> b.append(p.add()));
    return b.toString();
  }

  /**
   * Deletes the subnet element; the table goes with the last nat subnet. Counted in the table, not
   * by links: overlay bridges carry network aliases too, and would have kept an empty table alive.
   */
  void removeSubnet(String cidr) {
    if (!tableExists()) {
      return;
    }
    try {
      host.nft().apply(NatTable.deleteSubnet(cidr));
    } catch (RuntimeException e) {
      if (!String.valueOf(e.getMessage()).contains("No such file")) {
        throw e;
      }
    }
    String json = tableJson();
    if (json != null && !OwnedElements.hasNatSubnets(json)) {
      host.nft().apply("delete table " + NatTable.TABLE + "\n");
    }
  }

  boolean tableExists() {
    return tableJson() != null;
  }

  /** {@code nft -j list table ip silo}, or null when there is no such table. */
  @Nullable String tableJson() {
    try {
      return host.nft().listTableJson("ip", "silo");
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** Deletes every set and map element whose comment names endpoint {@code id}. */
  void deleteOwned(String id) {
    String json = tableJson();
    if (json == null) {
      return;
    }
    List<String> cmds = OwnedElements.parse(json).getOrDefault(id, List.of());
    if (!cmds.isEmpty()) {
      host.nft().apply(String.join("", cmds));
    }
  }
}
