package dev.silo.hns.internal;

import dev.silo.api.HResult;
import dev.silo.api.HnsException;
import dev.silo.schema.hcn.DrMacAddressPolicySetting;
import dev.silo.schema.hcn.HostComputeEndpoint;
import dev.silo.schema.hcn.HostComputeNetwork;
import dev.silo.schema.hcn.NetworkPolicy;
import dev.silo.schema.hcn.NetworkType;
import dev.silo.schema.hcn.ProviderAddressPolicySetting;
import dev.silo.schema.hcn.RemoteSubnetRoutePolicySetting;
import dev.silo.schema.hcn.Subnet;
import dev.silo.schema.hcn.SubnetPolicy;
import dev.silo.schema.hcn.VsidPolicySetting;
import dev.silo.schema.hcn.VxlanPortPolicySetting;
import org.jspecify.annotations.Nullable;

/**
 * Checks of overlay (VXLAN) documents before anything is written: every subnet carries one VSID in
 * range (it becomes the VNI), the encapsulation policies parse, and a remote endpoint names its
 * MAC, address and provider address.
 */
final class OverlayChecks {
  /** VXLAN network identifiers are 24 bits. */
  static final long MAX_VSID = (1L << 24) - 1;

  private OverlayChecks() {}

  /** Validates an overlay network's subnets and policies; other types pass unchanged. */
  static void network(String op, String name, HostComputeNetwork in) throws HnsException {
    if (in.type() != NetworkType.OVERLAY) {
      return;
    }
    if (in.subnets().isEmpty()) {
      throw HnsException.of(
          op, name, HResult.HCN_E_INVALID_SUBNET, "an Overlay network needs a subnet with a VSID");
    }
    Long first = null;
    for (Subnet s : in.subnets()) {
      long vsid = vsid(op, name, s);
      if (first != null && first != vsid) {
        throw invalid(
            op,
            name,
            "subnet "
                + s.ipAddressPrefix()
                + " has VSID "
                + vsid
                + ", another subnet "
                + first
                + ": one overlay network is one VXLAN segment");
      }
      first = vsid;
    }
    policies(op, name, in);
  }

  private static long vsid(String op, String name, Subnet s) throws HnsException {
    for (SubnetPolicy p : s.policies()) {
      if (p.settings() instanceof VsidPolicySetting v) {
        if (v.isolationId() < 1 || v.isolationId() > MAX_VSID) {
          throw invalid(
              op,
              name,
              "VSID IsolationId "
                  + v.isolationId()
                  + " of subnet "
                  + s.ipAddressPrefix()
                  + " is not in 1-"
                  + MAX_VSID);
        }
        return v.isolationId();
      }
    }
    throw invalid(
        op,
        name,
        "Overlay subnet " + s.ipAddressPrefix() + " has no VSID policy (its VXLAN network id)");
  }

  /** Validates the encapsulation network policies of an overlay network (create and modify). */
  static void policies(String op, String name, HostComputeNetwork n) throws HnsException {
    if (n.type() != NetworkType.OVERLAY) {
      return;
    }
    for (NetworkPolicy p : n.policies()) {
      switch (p.settings()) {
        case RemoteSubnetRoutePolicySetting r -> remoteSubnet(op, name, r);
        case VxlanPortPolicySetting v -> {
          Integer port = v.port();
          if (port == null || port < 1 || port > 65535) {
            throw invalid(op, name, "VxlanPort Port " + port + " is not in 1-65535");
          }
        }
        case ProviderAddressPolicySetting pa ->
            address(op, name, "ProviderAddress", pa.providerAddress());
        case DrMacAddressPolicySetting dr -> mac(op, name, "DrMacAddress Address", dr.address());
        case null, default -> {}
      }
    }
  }

  private static void remoteSubnet(String op, String name, RemoteSubnetRoutePolicySetting r)
      throws HnsException {
    String prefix = r.destinationPrefix();
    try {
      Cidr.parse(String.valueOf(prefix));
    } catch (IllegalArgumentException e) {
      throw invalid(op, name, "RemoteSubnetRoute DestinationPrefix: " + e.getMessage());
    }
    if (r.isolationId() < 0 || r.isolationId() > MAX_VSID) {
      throw invalid(
          op, name, "RemoteSubnetRoute IsolationId " + r.isolationId() + " is not a VSID");
    }
    address(op, name, "RemoteSubnetRoute ProviderAddress", r.providerAddress());
    mac(op, name, "RemoteSubnetRoute DistributedRouterMacAddress", r.distributedRouterMacAddress());
  }

  /**
   * A remote endpoint (Flags RemoteEndpoint) exists only on overlay networks and needs a MAC, an
   * address and a ProviderAddress policy: they are its FDB entry and neighbour.
   */
  static void endpoint(String op, String label, HostComputeNetwork net, HostComputeEndpoint ep)
      throws HnsException {
    Integer flags = ep.flags();
    if (flags == null || (flags & HostComputeEndpoint.REMOTE_ENDPOINT) == 0) {
      return;
    }
    if (net.type() != NetworkType.OVERLAY) {
      throw HnsException.of(
          op,
          label,
          HResult.HCN_E_INVALID_REMOTE_ENDPOINT_OPERATION,
          "remote endpoints exist only on Overlay networks, not " + net.type());
    }
    String missing =
        ep.macAddress() == null
            ? "MacAddress"
            : ep.ipConfigurations().isEmpty()
                ? "IpConfigurations"
                : ep.policySettings(ProviderAddressPolicySetting.class).isEmpty()
                    ? "a ProviderAddress policy"
                    : null;
    if (missing != null) {
      throw HnsException.of(
          op, label, HResult.HCN_E_INVALID_ENDPOINT, "remote endpoint without " + missing);
    }
    for (ProviderAddressPolicySetting pa : ep.policySettings(ProviderAddressPolicySetting.class)) {
      address(op, label, "ProviderAddress", pa.providerAddress());
    }
  }

  private static void address(String op, String name, String what, @Nullable String text)
      throws HnsException {
    try {
      Ipv4.parse(String.valueOf(text));
    } catch (IllegalArgumentException e) {
      throw invalid(op, name, what + ": " + e.getMessage());
    }
  }

  private static void mac(String op, String name, String what, @Nullable String text)
      throws HnsException {
    try {
      Mac.parse(String.valueOf(text));
    } catch (IllegalArgumentException e) {
      throw invalid(op, name, what + ": " + e.getMessage());
    }
  }

  private static HnsException invalid(String op, String name, String detail) {
    return HnsException.of(op, name, HResult.HCN_E_INVALID_POLICY, detail);
  }
}
