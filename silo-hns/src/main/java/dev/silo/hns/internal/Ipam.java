package dev.silo.hns.internal;

import dev.silo.api.HResult;
import dev.silo.api.HnsException;
import dev.silo.schema.hcn.HostComputeEndpoint;
import dev.silo.schema.hcn.HostComputeNetwork;
import dev.silo.schema.hcn.IpConfig;
import dev.silo.schema.hcn.MacPool;
import dev.silo.schema.hcn.MacRange;
import dev.silo.schema.hcn.Route;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Address and MAC management of endpoints. Claims are rows whose primary key is the address (per
 * network) or the MAC (per host); they are made inside the caller's BEGIN IMMEDIATE transaction, so
 * no two endpoints, threads or processes can end up with the same one.
 */
final class Ipam {
  /** HNS's default pool when a network has no MacPool: the Hyper-V OUI. */
  static final MacRange DEFAULT_MACS = new MacRange("00-15-5D-00-00-00", "00-15-5D-FF-FF-FF");

  private Ipam() {}

  /** The endpoint with its address, MAC and default route decided and claimed. */
  static HostComputeEndpoint assign(
      String op, Tx tx, HostComputeNetwork network, HostComputeEndpoint ep, String id)
      throws HnsException, SQLException {
    String netId = network.id() == null ? "" : network.id();
    List<Subnets> subnets = NetworkChecks.subnets(op, network);
    List<IpConfig> ips = new ArrayList<>();
    Claim chosen = null;
    if (!ep.ipConfigurations().isEmpty()) {
      for (IpConfig cfg : ep.ipConfigurations()) {
        chosen = claimStatic(op, tx, netId, subnets, cfg, id);
        ips.add(new IpConfig(cfg.ipAddress(), prefixOf(cfg, chosen)));
      }
    } else if (!subnets.isEmpty()) {
      chosen = claimNext(op, tx, netId, subnets, id);
      ips.add(new IpConfig(Ipv4.format(chosen.next), chosen.subnet.cidr().prefix()));
    }
    String firstIp = ips.isEmpty() ? null : ips.get(0).ipAddress();
    String mac = claimMac(op, tx, network.macPool(), ep.macAddress(), firstIp, id);
    List<Route> routes = ep.routes();
    if (routes.isEmpty() && chosen != null) {
      routes =
          List.of(new Route(Ipv4.format(chosen.subnet.gateway()), Subnets.DEFAULT_ROUTE, null));
    }
    return ep.withAddressing(ips, mac, routes);
  }

  private record Claim(Subnets subnet, int next) {}

  private static @Nullable Integer prefixOf(IpConfig cfg, @Nullable Claim claim) {
    if (cfg.prefixLength() != null) {
      return cfg.prefixLength();
    }
    return claim == null ? null : claim.subnet.cidr().prefix();
  }

  private static @Nullable Claim claimStatic(
      String op, Tx tx, String netId, List<Subnets> subnets, IpConfig cfg, String id)
      throws HnsException, SQLException {
    String text = cfg.ipAddress();
    if (text == null) {
      throw HnsException.of(
          op, id, HResult.HCN_E_INVALID_IP, "IpConfigurations entry has no IpAddress");
    }
    int ip;
    try {
      ip = Ipv4.parse(text);
    } catch (IllegalArgumentException e) {
      throw HnsException.of(op, id, HResult.HCN_E_INVALID_IP, "IpAddress " + e.getMessage());
    }
    if (subnets.isEmpty()) {
      return null; // externally managed addressing (DHCP / l2 networks without HNS IPAM)
    }
    for (Subnets s : subnets) {
      if (s.cidr().contains(ip)) {
        if (!s.assignable(ip)) {
          throw HnsException.of(
              op,
              id,
              HResult.HCN_E_INVALID_IP,
              "IpAddress "
                  + text
                  + " is the network, broadcast or gateway address of subnet "
                  + s.cidr());
        }
        String owner = tx.addressOwner(netId, ip);
        if (owner != null) {
          throw HnsException.of(
              op,
              id,
              HResult.ERROR_OBJECT_ALREADY_EXISTS,
              "IpAddress " + text + " is already used by endpoint " + owner);
        }
        tx.claimAddress(netId, ip, id);
        return new Claim(s, ip);
      }
    }
    throw HnsException.of(
        op,
        id,
        HResult.HCN_E_INVALID_IP,
        "IpAddress " + text + " is not in any subnet of network " + netId);
  }

  private static Claim claimNext(String op, Tx tx, String netId, List<Subnets> subnets, String id)
      throws HnsException, SQLException {
    Set<Integer> taken = tx.addresses(netId);
    for (Subnets s : subnets) {
      for (int ip = s.cidr().firstHost(); ip != s.cidr().broadcast(); ip++) {
        if (s.assignable(ip) && !taken.contains(ip)) {
          tx.claimAddress(netId, ip, id);
          return new Claim(s, ip);
        }
      }
    }
    throw HnsException.of(
        op,
        id,
        HResult.HCN_E_SUBNET_NOT_FOUND,
        "no free address left in the subnets of network " + netId);
  }

  private static String claimMac(
      String op,
      Tx tx,
      @Nullable MacPool pool,
      @Nullable String given,
      @Nullable String ip,
      String id)
      throws HnsException, SQLException {
    if (given != null) {
      long mac;
      try {
        mac = Mac.parse(given);
      } catch (IllegalArgumentException e) {
        throw HnsException.of(
            op, id, HResult.HCN_E_INVALID_ENDPOINT, "MacAddress " + e.getMessage());
      }
      String owner = tx.macOwner(mac);
      if (owner != null) {
        throw HnsException.of(
            op,
            id,
            HResult.ERROR_OBJECT_ALREADY_EXISTS,
            "MacAddress " + Mac.format(mac) + " is already used by endpoint " + owner);
      }
      tx.claimMac(mac, id);
      return Mac.format(mac);
    }
    return claimFromPool(op, tx, pool, ip, id);
  }

  /** The first free MAC of the pool, trying the one derived from the address first. */
  private static String claimFromPool(
      String op, Tx tx, @Nullable MacPool pool, @Nullable String ip, String id)
      throws HnsException, SQLException {
    List<MacRange> ranges =
        pool == null || pool.ranges().isEmpty() ? List.of(DEFAULT_MACS) : pool.ranges();
    Set<Long> taken = tx.macs();
    for (MacRange r : ranges) {
      long start = Mac.parse(String.valueOf(r.startMacAddress()));
      long end = Mac.parse(String.valueOf(r.endMacAddress()));
      // Derive the MAC from the address first (upper bytes of the range, low 3 bytes of the IP),
      // so the same IP keeps the same MAC across re-creation, as HNS does on NAT networks.
      if (ip != null) {
        long derived = (start & ~0xFFFFFFL) | (Ipv4.parse(ip) & 0xFFFFFFL);
        if (derived >= start && derived <= end && !taken.contains(derived)) {
          tx.claimMac(derived, id);
          return Mac.format(derived);
        }
      }
      for (long m = start; m <= end; m++) {
        if (!taken.contains(m)) {
          tx.claimMac(m, id);
          return Mac.format(m);
        }
      }
    }
    throw HnsException.of(
        op, id, HResult.HCN_E_INVALID_ENDPOINT, "the MAC pool of the network is exhausted");
  }
}
