package dev.silo.hns.linux;

import dev.silo.hns.spi.DataplaneException;
import dev.silo.linux.net.IpPrefix;
import dev.silo.schema.hcn.HostComputeNetwork;
import dev.silo.schema.hcn.Route;
import dev.silo.schema.hcn.Subnet;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.List;

/** Subnet and gateway of an HCN network as kernel prefixes, shared by the drivers. */
final class Addressing {
  private Addressing() {}

  /** The network's (first) subnet, checked to be IPv4 and normalized to its network address. */
  static IpPrefix subnet(HostComputeNetwork n) throws DataplaneException {
    List<Subnet> subnets = n.subnets();
    if (subnets.isEmpty() || subnets.get(0).ipAddressPrefix() == null) {
      throw new DataplaneException(n.type() + " network " + n.id() + " has no subnet");
    }
    IpPrefix p = parse(String.valueOf(subnets.get(0).ipAddressPrefix()));
    if (!p.isIpv4()) {
      throw new DataplaneException(n.type() + " network " + n.id() + ": only IPv4 subnets");
    }
    return normalize(p);
  }

  /** The prefix with its host bits cleared, {@code 172.31.5.1/24} to {@code 172.31.5.0/24}. */
  static IpPrefix normalize(IpPrefix p) throws DataplaneException {
    int mask = p.length() == 0 ? 0 : -1 << (32 - p.length());
    int bits = ByteBuffer.wrap(p.address().getAddress()).getInt() & mask;
    try {
      InetAddress net = InetAddress.getByAddress(ByteBuffer.allocate(4).putInt(bits).array());
      return new IpPrefix(net, p.length());
    } catch (UnknownHostException e) {
      throw new DataplaneException("subnet " + p + ": " + e.getMessage(), e);
    }
  }

  /** The gateway address with the subnet's prefix length, e.g. {@code 172.31.5.1/24}. */
  static IpPrefix gateway(HostComputeNetwork n, IpPrefix subnet) throws DataplaneException {
    for (Route r : n.subnets().get(0).routes()) {
      if ("0.0.0.0/0".equals(r.destinationPrefix()) && r.nextHop() != null) {
        return parse(r.nextHop() + "/" + subnet.length());
      }
    }
    throw new DataplaneException(
        n.type() + " network " + n.id() + " has no gateway (0.0.0.0/0 route)");
  }

  static IpPrefix parse(String text) throws DataplaneException {
    try {
      return IpPrefix.parse(text);
    } catch (IllegalArgumentException e) {
      throw new DataplaneException(String.valueOf(e.getMessage()), e);
    }
  }
}
