package dev.silo.hns.internal;

import dev.silo.api.HResult;
import dev.silo.api.HnsException;
import dev.silo.hns.spi.Dataplane;
import dev.silo.hns.spi.ObjectKind;
import dev.silo.schema.hcn.HostComputeNetwork;
import dev.silo.schema.hcn.Ipam;
import dev.silo.schema.hcn.MacPool;
import dev.silo.schema.hcn.MacRange;
import dev.silo.schema.hcn.NetworkType;
import dev.silo.schema.hcn.SchemaVersion;
import dev.silo.schema.hcn.Subnet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Validates a network document before anything is written: name, type, subnets, gateways and
 * overlaps (inside the network, and across NAT networks of the host, which share one routing table
 * and masquerade rule set).
 */
final class NetworkChecks {
  private NetworkChecks() {}

  /** The network as it will be stored: id assigned, gateways filled in, schema version set. */
  static HostComputeNetwork validate(
      String op, Tx tx, Dataplane dataplane, HostComputeNetwork in, String id)
      throws HnsException, SQLException {
    String name = in.name();
    if (name == null || name.isBlank()) {
      throw HnsException.of(op, id, HResult.HCN_E_INVALID_NETWORK, "network Name is empty");
    }
    NetworkType type = in.type();
    if (type == null) {
      throw HnsException.of(
          op, name, HResult.HCN_E_INVALID_NETWORK_TYPE, "network Type is missing");
    }
    if (!dataplane.supports(type)) {
      throw HnsException.of(
          op,
          name,
          HResult.HCN_E_INVALID_NETWORK_TYPE,
          "network Type " + type.wireName() + " is not supported on this host");
    }
    String invalid = dataplane.invalidNetwork(in);
    if (invalid != null) {
      throw HnsException.of(op, name, HResult.HCN_E_INVALID_NETWORK, invalid);
    }
    if (tx.byName(ObjectKind.NETWORK, name) != null || tx.get(ObjectKind.NETWORK, id) != null) {
      throw HnsException.of(
          op,
          name,
          HResult.HCN_E_NETWORK_ALREADY_EXISTS,
          "a network named " + name + " already exists");
    }
    List<Subnets> parsed = new ArrayList<>();
    List<Ipam> ipams = ipams(op, name, in, parsed);
    if (type == NetworkType.NAT) {
      checkNatOverlap(op, tx, name, parsed);
    }
    checkMacPool(op, name, in.macPool());
    OverlayChecks.network(op, name, in);
    return new HostComputeNetwork(
        id,
        name,
        type,
        in.policies(),
        in.macPool(),
        in.dns(),
        ipams,
        in.flags(),
        null,
        SchemaVersion.V2);
  }

  /** The IPAM blocks with gateways filled in; adds every parsed subnet to {@code parsed}. */
  private static List<Ipam> ipams(
      String op, String name, HostComputeNetwork in, List<Subnets> parsed) throws HnsException {
    List<Ipam> ipams = new ArrayList<>();
    for (Ipam ipam : in.ipams()) {
      List<Subnet> subnets = new ArrayList<>();
      for (Subnet s : ipam.subnets()) {
        Subnets p = Subnets.parse(op, name, s);
        for (Subnets other : parsed) {
          if (other.cidr().overlaps(p.cidr())) {
            throw HnsException.of(
                op,
                name,
                HResult.HCN_E_INVALID_SUBNET,
                "subnet " + p.cidr() + " overlaps subnet " + other.cidr() + " of the same network");
          }
        }
        parsed.add(p);
        subnets.add(Subnets.withGateway(s, p));
      }
      ipams.add(new Ipam(ipam.type() == null ? "Static" : ipam.type(), subnets));
    }
    return ipams;
  }

  private static void checkMacPool(String op, String name, @Nullable MacPool pool)
      throws HnsException {
    if (pool == null) {
      return;
    }
    for (MacRange r : pool.ranges()) {
      try {
        long start = Mac.parse(String.valueOf(r.startMacAddress()));
        long end = Mac.parse(String.valueOf(r.endMacAddress()));
        if (start > end) {
          throw new IllegalArgumentException(
              "StartMacAddress "
                  + r.startMacAddress()
                  + " is after EndMacAddress "
                  + r.endMacAddress());
        }
      } catch (IllegalArgumentException e) {
        throw HnsException.of(
            op, name, HResult.HCN_E_INVALID_NETWORK, "MacPool: " + e.getMessage());
      }
    }
  }

  private static void checkNatOverlap(String op, Tx tx, String name, List<Subnets> mine)
      throws HnsException, SQLException {
    for (Tx.Row row : tx.all(ObjectKind.NETWORK)) {
      HostComputeNetwork other = HcnCodec.read(op, row.id(), row.doc(), HostComputeNetwork.class);
      if (other.type() != NetworkType.NAT) {
        continue;
      }
      for (Subnet s : other.subnets()) {
        Subnets theirs = Subnets.parse(op, row.id(), s);
        for (Subnets p : mine) {
          if (theirs.cidr().overlaps(p.cidr())) {
            throw HnsException.of(
                op,
                name,
                HResult.HCN_E_INVALID_SUBNET,
                "subnet "
                    + p.cidr()
                    + " overlaps subnet "
                    + theirs.cidr()
                    + " of NAT network "
                    + other.name());
          }
        }
      }
    }
  }

  /** Parsed subnets of a stored (already valid) network. */
  static List<Subnets> subnets(String op, HostComputeNetwork network) throws HnsException {
    List<Subnets> out = new ArrayList<>();
    String id = network.id() == null ? "" : network.id();
    for (Subnet s : network.subnets()) {
      out.add(Subnets.parse(op, id, s));
    }
    return out;
  }
}
