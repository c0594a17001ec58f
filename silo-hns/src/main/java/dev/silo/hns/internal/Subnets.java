package dev.silo.hns.internal;

import dev.silo.api.HResult;
import dev.silo.api.HnsException;
import dev.silo.schema.hcn.Route;
import dev.silo.schema.hcn.Subnet;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A network subnet with its prefix parsed and its gateway decided: the {@code 0.0.0.0/0} next hop
 * when given, else the first host address (as HNS does for NAT networks).
 *
 * @param cidr the prefix
 * @param gateway gateway address
 * @param reserveGateway false when the subnet has DoNotReserveGatewayAddress
 */
record Subnets(Cidr cidr, int gateway, boolean reserveGateway) {

  static final String DEFAULT_ROUTE = "0.0.0.0/0";

  /** Parses and checks one subnet; errors name the network and the bad field. */
  static Subnets parse(String op, String network, Subnet subnet) throws HnsException {
    String prefix = subnet.ipAddressPrefix();
    if (prefix == null || prefix.isEmpty()) {
      throw HnsException.of(
          op, network, HResult.HCN_E_INVALID_PREFIX, "subnet has no IpAddressPrefix");
    }
    Cidr cidr;
    try {
      cidr = Cidr.parse(prefix);
    } catch (IllegalArgumentException e) {
      throw HnsException.of(
          op, network, HResult.HCN_E_INVALID_PREFIX, "IpAddressPrefix " + e.getMessage());
    }
    if (cidr.prefix() > 30) {
      throw HnsException.of(
          op,
          network,
          HResult.HCN_E_INVALID_PREFIX,
          "IpAddressPrefix " + prefix + " leaves no room for a gateway and endpoints");
    }
    String next = gatewayText(subnet);
    int gateway;
    if (next == null) {
      gateway = cidr.firstHost();
    } else {
      try {
        gateway = Ipv4.parse(next);
      } catch (IllegalArgumentException e) {
        throw HnsException.of(
            op,
            network,
            HResult.HCN_E_INVALID_SUBNET,
            "gateway (Routes NextHop) " + e.getMessage());
      }
      if (!cidr.isHost(gateway)) {
        throw HnsException.of(
            op,
            network,
            HResult.HCN_E_INVALID_SUBNET,
            "gateway " + next + " is outside subnet " + prefix);
      }
    }
    int flags = subnet.flags() == null ? 0 : subnet.flags();
    return new Subnets(cidr, gateway, (flags & Subnet.DO_NOT_RESERVE_GATEWAY_ADDRESS) == 0);
  }

  private static @Nullable String gatewayText(Subnet subnet) {
    for (Route r : subnet.routes()) {
      if (DEFAULT_ROUTE.equals(r.destinationPrefix()) && r.nextHop() != null) {
        return r.nextHop();
      }
    }
    return null;
  }

  /** The subnet as stored and returned: with the default route through the gateway filled in. */
  static Subnet withGateway(Subnet subnet, Subnets parsed) {
    if (gatewayText(subnet) != null) {
      return subnet;
    }
    List<Route> routes = new ArrayList<>(subnet.routes());
    routes.add(new Route(Ipv4.format(parsed.gateway()), DEFAULT_ROUTE, null));
    return new Subnet(subnet.ipAddressPrefix(), subnet.policies(), routes, subnet.flags());
  }

  boolean assignable(int address) {
    return cidr.isHost(address) && !(reserveGateway && address == gateway);
  }
}
