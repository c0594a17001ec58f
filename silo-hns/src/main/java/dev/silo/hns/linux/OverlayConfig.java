package dev.silo.hns.linux;

import dev.silo.hns.spi.DataplaneException;
import dev.silo.linux.net.IpPrefix;
import dev.silo.linux.net.MacAddress;
import dev.silo.schema.hcn.DrMacAddressPolicySetting;
import dev.silo.schema.hcn.EncapOverheadPolicySetting;
import dev.silo.schema.hcn.HostComputeEndpoint;
import dev.silo.schema.hcn.HostComputeNetwork;
import dev.silo.schema.hcn.HostRoutePolicySetting;
import dev.silo.schema.hcn.NetworkPolicy;
import dev.silo.schema.hcn.NetworkPolicySettings;
import dev.silo.schema.hcn.ProviderAddressPolicySetting;
import dev.silo.schema.hcn.RemoteSubnetRoutePolicySetting;
import dev.silo.schema.hcn.SubnetPolicy;
import dev.silo.schema.hcn.VsidPolicySetting;
import dev.silo.schema.hcn.VxlanPortPolicySetting;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What an HCN overlay network asks of the kernel, read from its policies: the VXLAN parameters
 * (fixed at create) and the routed state that network policy updates change.
 *
 * @param vni the subnet's VSID
 * @param port VxlanPort, else 4789
 * @param local the ProviderAddress network policy (the local VTEP), null when absent
 * @param drMac DrMacAddress: the bridge's MAC, the gateway MAC the endpoints see
 * @param routed whether the bridge holds the gateway address (HostRoute or any remote subnet)
 * @param remoteSubnets the RemoteSubnetRoute policies
 */
record OverlayConfig(
    int vni,
    int port,
    @Nullable InetAddress local,
    @Nullable MacAddress drMac,
    boolean routed,
    Set<RemoteSubnet> remoteSubnets) {

  /** UDP port of VXLAN (IANA), Windows' default too. */
  static final int VXLAN_PORT = 4789;

  /** Outer Ethernet + IPv4 + UDP + VXLAN headers, what HNS subtracts without EncapOverhead. */
  static final int ENCAP_OVERHEAD = 50;

  /**
   * A remote prefix behind a VTEP, flannel-vxlan style: route onlink via the prefix's network
   * address, which resolves permanently to the remote distributed router's MAC, whose FDB entry
   * names the remote provider address.
   */
  record RemoteSubnet(IpPrefix prefix, InetAddress gateway, MacAddress drMac, InetAddress pa) {}

  static OverlayConfig of(HostComputeNetwork n) throws DataplaneException {
    Integer vsid = vsid(n);
    if (vsid == null) {
      throw new DataplaneException("overlay network " + n.id() + " has no VSID subnet policy");
    }
    VxlanPortPolicySetting vp = setting(n, VxlanPortPolicySetting.class);
    int port = vp == null || vp.port() == null ? VXLAN_PORT : vp.port();
    ProviderAddressPolicySetting pa = setting(n, ProviderAddressPolicySetting.class);
    InetAddress local =
        pa == null || pa.providerAddress() == null ? null : address(pa.providerAddress());
    DrMacAddressPolicySetting dr = setting(n, DrMacAddressPolicySetting.class);
    MacAddress drMac = dr == null || dr.address() == null ? null : mac(dr.address());
    Set<RemoteSubnet> remote = new LinkedHashSet<>();
    for (NetworkPolicy p : n.policies()) {
      if (p.settings() instanceof RemoteSubnetRoutePolicySetting r) {
        remote.add(remote(r));
      }
    }
    boolean hostRoute = setting(n, HostRoutePolicySetting.class) != null;
    return new OverlayConfig(vsid, port, local, drMac, hostRoute || !remote.isEmpty(), remote);
  }

  /** The first subnet's VSID IsolationId, or null when it has none. */
  static @Nullable Integer vsid(HostComputeNetwork n) {
    for (var subnet : n.subnets()) {
      for (SubnetPolicy p : subnet.policies()) {
        if (p.settings() instanceof VsidPolicySetting v) {
          return (int) v.isolationId();
        }
      }
    }
    return null;
  }

  /** The remote endpoint's VTEP: its ProviderAddress endpoint policy. */
  static InetAddress remoteVtep(HostComputeEndpoint ep) throws DataplaneException {
    for (ProviderAddressPolicySetting pa : ep.policySettings(ProviderAddressPolicySetting.class)) {
      if (pa.providerAddress() != null) {
        return address(pa.providerAddress());
      }
    }
    throw new DataplaneException(
        "remote endpoint " + ep.id() + " has no ProviderAddress policy (its host's VTEP)");
  }

  /** EncapOverhead of the endpoint, else the VXLAN-over-IPv4 overhead. */
  static int overhead(HostComputeEndpoint ep) {
    for (EncapOverheadPolicySetting e : ep.policySettings(EncapOverheadPolicySetting.class)) {
      if (e.overhead() != null) {
        return e.overhead();
      }
    }
    return ENCAP_OVERHEAD;
  }

  static boolean isRemote(HostComputeEndpoint ep) {
    Integer flags = ep.flags();
    return flags != null && (flags & HostComputeEndpoint.REMOTE_ENDPOINT) != 0;
  }

  private static RemoteSubnet remote(RemoteSubnetRoutePolicySetting r) throws DataplaneException {
    IpPrefix prefix = Addressing.normalize(Addressing.parse(r.destinationPrefix()));
    return new RemoteSubnet(
        prefix,
        prefix.address(),
        mac(r.distributedRouterMacAddress()),
        address(r.providerAddress()));
  }

  private static <T extends NetworkPolicySettings> @Nullable T setting(
      HostComputeNetwork n, Class<T> kind) {
    List<T> out = new ArrayList<>();
    for (NetworkPolicy p : n.policies()) {
      if (kind.isInstance(p.settings())) {
        out.add(kind.cast(p.settings()));
      }
    }
    return out.isEmpty() ? null : out.get(0);
  }

  static InetAddress address(String text) throws DataplaneException {
    try {
      return InetAddress.ofLiteral(text);
    } catch (IllegalArgumentException e) {
      throw new DataplaneException("address '" + text + "': " + e.getMessage(), e);
    }
  }

  static MacAddress mac(String text) throws DataplaneException {
    try {
      return MacAddress.parse(text);
    } catch (IllegalArgumentException e) {
      throw new DataplaneException("MAC address '" + text + "': " + e.getMessage(), e);
    }
  }
}
