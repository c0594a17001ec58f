package dev.silo.hns.linux;

import dev.silo.hns.spi.DataplaneException;
import dev.silo.hns.spi.Undo;
import dev.silo.linux.net.IfAddress;
import dev.silo.linux.net.IpPrefix;
import dev.silo.linux.net.Link;
import dev.silo.linux.net.MacAddress;
import dev.silo.linux.net.NetNs;
import dev.silo.linux.net.NetSysctl;
import dev.silo.linux.net.Route;
import dev.silo.linux.net.VxlanSpec;
import dev.silo.schema.hcn.HostComputeEndpoint;
import dev.silo.schema.hcn.HostComputeNetwork;
import dev.silo.schema.hcn.IpConfig;
import dev.silo.schema.hcn.NetworkType;
import dev.silo.schema.hcn.ProviderAddressPolicySetting;
import java.net.InetAddress;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The overlay driver (VFP VXLAN encapsulation on Windows): per network a Linux bridge with a {@code
 * vxlan} port (VNI = the subnet's VSID, no learning, ARP proxy), local endpoints as veths into the
 * bridge, remote endpoints as a static FDB entry (MAC to the remote provider address) plus a
 * permanent neighbour (IP to MAC) on the vxlan device, which then answers the containers' ARP
 * itself, so no broadcast ever crosses the underlay.
 *
 * <p>Network policies: RemoteSubnetRoute becomes an onlink route via the prefix's network address,
 * resolved permanently to the remote distributed router's MAC, whose FDB entry names the remote
 * VTEP; HostRoute (and any remote subnet, which needs the bridge to route) puts the gateway address
 * on the bridge; DrMacAddress becomes the bridge's MAC, the one the remote routers send to.
 */
final class OverlayDriver implements LinuxDriver {
  private final Host host;
  private final Attach attach;

  OverlayDriver(Host host) {
    this.host = host;
    this.attach = new Attach(host);
  }

  @Override
  public NetworkType type() {
    return NetworkType.OVERLAY;
  }

  @Override
  public Undo createNetwork(HostComputeNetwork n) throws DataplaneException {
    String id = String.valueOf(n.id());
    String br = Names.bridge(id);
    String vx = Names.vxlan(id);
    OverlayConfig c = OverlayConfig.of(n);
    String alias = Names.NETWORK_ALIAS + id.toLowerCase(Locale.ROOT);
    return Steps.run(
        "overlay network " + id,
        s -> {
          // links of these names are this network's leftovers (reconcile after a partial loss)
          host.deleteLinkIfPresent(vx);
          host.deleteLinkIfPresent(br);
          host.rt().links().addBridge(br);
          s.add(() -> host.deleteLinkIfPresent(br));
          host.rt().links().setAlias(br, alias);
          VxlanSpec spec =
              new VxlanSpec(vx, c.vni(), c.local(), c.port(), uplink(c.local()), false, 0);
          host.rt().links().addVxlan(spec.withProxy(true));
          s.add(() -> host.deleteLinkIfPresent(vx));
          host.rt().links().setAlias(vx, alias);
          host.rt().links().setMaster(vx, br);
          host.rt().links().setUp(vx);
          host.rt().links().setUp(br);
          NetSysctl.ipForward(host.ns(), true);
          s.add(program(n, OverlayConfig.of(n.withPolicies(List.of())), c));
        });
  }

  @Override
  public Undo deleteNetwork(HostComputeNetwork n) throws DataplaneException {
    String id = String.valueOf(n.id());
    return Steps.run(
        "delete overlay network " + id,
        s -> {
          // routes, neighbours and FDB entries go with the devices
          host.deleteLinkIfPresent(Names.vxlan(id));
          host.deleteLinkIfPresent(Names.bridge(id));
          s.add(() -> createNetwork(n));
        });
  }

  @Override
  public Undo applyNetworkPolicies(HostComputeNetwork before, HostComputeNetwork after)
      throws DataplaneException {
    return program(after, OverlayConfig.of(before), OverlayConfig.of(after));
  }

  /**
   * Moves the routed state (gateway address, DR MAC, remote subnets) from {@code old} to {@code c}.
   */
  private Undo program(HostComputeNetwork n, OverlayConfig old, OverlayConfig c)
      throws DataplaneException {
    String id = String.valueOf(n.id());
    String br = Names.bridge(id);
    String vx = Names.vxlan(id);
    @Nullable IpPrefix gateway =
        c.routed() || old.routed() ? Addressing.gateway(n, Addressing.subnet(n)) : null;
    Set<OverlayConfig.RemoteSubnet> gone = new LinkedHashSet<>(old.remoteSubnets());
    gone.removeAll(c.remoteSubnets());
    Set<OverlayConfig.RemoteSubnet> added = new LinkedHashSet<>(c.remoteSubnets());
    added.removeAll(old.remoteSubnets());
    return Steps.run(
        "overlay network policies of " + id,
        s -> {
          MacAddress dr = c.drMac();
          if (dr != null && !dr.equals(old.drMac())) {
            MacAddress was = host.rt().links().get(br).mac();
            host.rt().links().setMac(br, dr);
            if (was != null) {
              s.add(() -> Steps.check("restore MAC", x -> host.rt().links().setMac(br, was)));
            }
          }
          if (gateway != null) {
            routeGateway(s, br, gateway, c.routed());
          }
          for (OverlayConfig.RemoteSubnet r : gone) {
            removeRemoteSubnet(vx, r);
            s.add(() -> Steps.check("remote subnet", x -> addRemoteSubnet(vx, r)));
          }
          for (OverlayConfig.RemoteSubnet r : added) {
            addRemoteSubnet(vx, r);
            s.add(() -> Steps.check("remote subnet", x -> removeRemoteSubnet(vx, r)));
          }
        });
  }

  /** Puts the gateway address on the bridge or takes it off, as {@code routed} says. */
  private void routeGateway(Steps s, String br, IpPrefix gateway, boolean routed) {
    boolean has = hasAddress(br, gateway);
    if (routed && !has) {
      host.rt().addresses().add(br, gateway);
      s.add(() -> Steps.check("gateway", x -> host.rt().addresses().delete(br, gateway)));
    } else if (!routed && has) {
      host.rt().addresses().delete(br, gateway);
      s.add(() -> Steps.check("gateway", x -> host.rt().addresses().add(br, gateway)));
    }
  }

  private void addRemoteSubnet(String vx, OverlayConfig.RemoteSubnet r) {
    host.rt().neighbours().replace(vx, r.gateway(), r.drMac());
    host.rt().neighbours().fdbAppend(vx, r.drMac(), r.pa());
    host.rt().routes().replace(Route.via(r.prefix(), r.gateway(), vx).withOnlink());
  }

  private void removeRemoteSubnet(String vx, OverlayConfig.RemoteSubnet r) {
    if (host.link(vx).isEmpty()) {
      return;
    }
    quietly(() -> host.rt().routes().delete(Route.via(r.prefix(), r.gateway(), vx).withOnlink()));
    quietly(() -> host.rt().neighbours().fdbDelete(vx, r.drMac(), r.pa()));
    quietly(() -> host.rt().neighbours().delete(vx, r.gateway()));
  }

  @Override
  public Undo createEndpoint(HostComputeNetwork network, HostComputeEndpoint ep)
      throws DataplaneException {
    if (!OverlayConfig.isRemote(ep)) {
      return Undo.NONE; // the veth is made at attach, like nat
    }
    Remote r = remote(network, ep);
    return Steps.run(
        "remote endpoint " + ep.id(),
        s -> {
          host.rt().neighbours().fdbAppend(r.vx, r.mac, r.pa);
          s.add(() -> Steps.check("fdb", x -> quietly(() -> deleteRemote(r))));
          for (InetAddress ip : r.ips) {
            host.rt().neighbours().replace(r.vx, ip, r.mac);
          }
        });
  }

  @Override
  public Undo deleteEndpoint(HostComputeNetwork network, HostComputeEndpoint ep)
      throws DataplaneException {
    if (!OverlayConfig.isRemote(ep)) {
      return Undo.NONE;
    }
    Remote r = remote(network, ep);
    return Steps.run(
        "delete remote endpoint " + ep.id(),
        s -> {
          if (host.link(r.vx).isEmpty()) {
            return;
          }
          deleteRemote(r);
          s.add(() -> createEndpoint(network, ep));
        });
  }

  /**
   * Moves a remote endpoint whose ProviderAddress changed (its pod moved to another VTEP). The call
   * right after create, from no policies, has nothing to move: create programmed the entries.
   */
  @Override
  public Undo applyEndpointPolicies(
      HostComputeNetwork network, HostComputeEndpoint before, HostComputeEndpoint after)
      throws DataplaneException {
    if (!OverlayConfig.isRemote(after)
        || before.policySettings(ProviderAddressPolicySetting.class).isEmpty()) {
      return Undo.NONE;
    }
    Remote old = remote(network, before);
    if (old.equals(remote(network, after))) {
      return Undo.NONE;
    }
    return Steps.run(
        "move remote endpoint " + after.id(),
        s -> {
          deleteRemote(old);
          s.add(() -> createEndpoint(network, before));
          s.add(createEndpoint(network, after));
        });
  }

  /** A remote endpoint's kernel entries: its MAC behind its VTEP, its addresses at its MAC. */
  private record Remote(String vx, MacAddress mac, InetAddress pa, List<InetAddress> ips) {}

  private static Remote remote(HostComputeNetwork n, HostComputeEndpoint ep)
      throws DataplaneException {
    String mac = ep.macAddress();
    if (mac == null) {
      throw new DataplaneException("remote endpoint " + ep.id() + " has no MacAddress");
    }
    List<InetAddress> ips = new java.util.ArrayList<>();
    for (IpConfig c : ep.ipConfigurations()) {
      if (c.ipAddress() != null) {
        ips.add(OverlayConfig.address(c.ipAddress()));
      }
    }
    return new Remote(
        Names.vxlan(String.valueOf(n.id())),
        OverlayConfig.mac(mac),
        OverlayConfig.remoteVtep(ep),
        ips);
  }

  private void deleteRemote(Remote r) {
    for (InetAddress ip : r.ips) {
      quietly(() -> host.rt().neighbours().delete(r.vx, ip));
    }
    host.rt().neighbours().fdbDelete(r.vx, r.mac, r.pa);
  }

  @Override
  public Undo attach(NetNs ns, HostComputeNetwork network, HostComputeEndpoint endpoint)
      throws DataplaneException {
    if (OverlayConfig.isRemote(endpoint)) {
      throw new DataplaneException(
          "endpoint " + endpoint.id() + " is a remote endpoint and cannot join a namespace");
    }
    String id = String.valueOf(network.id());
    int mtu = uplinkMtu(network) - OverlayConfig.overhead(endpoint);
    return attach.attach(ns, Names.bridge(id), network, endpoint, mtu);
  }

  @Override
  public Undo detach(NetNs ns, HostComputeNetwork network, HostComputeEndpoint endpoint)
      throws DataplaneException {
    return attach.detach(ns, Names.bridge(String.valueOf(network.id())), network, endpoint);
  }

  /** The MTU of the underlay link holding the provider address, else the vxlan's plus 50. */
  private int uplinkMtu(HostComputeNetwork network) throws DataplaneException {
    String vx = Names.vxlan(String.valueOf(network.id()));
    Link v =
        host.link(vx)
            .orElseThrow(() -> new DataplaneException("overlay device " + vx + " is gone"));
    String under = uplink(OverlayConfig.of(network).local());
    if (under != null) {
      return host.rt().links().get(under).mtu();
    }
    return v.mtu() + OverlayConfig.ENCAP_OVERHEAD;
  }

  /** The host link holding the provider address (the underlay NIC), or null when unknown. */
  private @Nullable String uplink(@Nullable InetAddress local) {
    if (local == null) {
      return null;
    }
    for (IfAddress a : host.rt().addresses().list(null)) {
      if (a.prefix().address().equals(local)) {
        return a.device();
      }
    }
    return null;
  }

  private boolean hasAddress(String device, IpPrefix prefix) {
    return host.rt().addresses().list(device).stream().anyMatch(a -> a.prefix().equals(prefix));
  }

  /** Runs a removal whose target may already be gone with its device. */
  private static void quietly(Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      // already absent: removal is the goal
    }
  }
}
