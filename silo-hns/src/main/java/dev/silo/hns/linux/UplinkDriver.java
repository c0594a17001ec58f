package dev.silo.hns.linux;

import dev.silo.hns.spi.DataplaneException;
import dev.silo.hns.spi.Undo;
import dev.silo.linux.net.IfAddress;
import dev.silo.linux.net.MacAddress;
import dev.silo.linux.net.MacvlanMode;
import dev.silo.linux.net.NetNs;
import dev.silo.linux.net.Route;
import dev.silo.linux.net.Rtnetlink;
import dev.silo.schema.hcn.HostComputeEndpoint;
import dev.silo.schema.hcn.HostComputeNetwork;
import dev.silo.schema.hcn.IpConfig;
import dev.silo.schema.hcn.NetAdapterNamePolicySetting;
import dev.silo.schema.hcn.NetworkPolicy;
import java.nio.file.Files;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The common body of the drivers whose containers sit on the uplink's own L2 segment (transparent,
 * l2bridge, l2tunnel): each endpoint is a macvlan child of the uplink, born directly in the
 * container's namespace, with the endpoint's MAC on the wire; subclasses choose the macvlan mode.
 *
 * <p>Why macvlan children rather than a bridge enslaving the uplink: the uplink is never touched,
 * so the host's own address and routes on it never move (no window where the host is cut off, and
 * nothing to restore after a crash mid-move), and a crash can leave at most a child link, never a
 * host with its address on a half-built bridge. The price, as with any macvlan, is that the host
 * itself cannot reach its containers through the uplink (the parent does not see its children's
 * frames); on Windows the same holds for a transparent network without a host vNIC.
 *
 * <p>The network's own kernel object is a down macvlan port of the uplink named {@code silom<id10>}
 * and tagged {@code silo:network:ID}: it records the network for inventory and reconcile, and sends
 * nothing while down.
 */
abstract class UplinkDriver implements LinuxDriver {
  private final Host host;
  private final String scope;

  UplinkDriver(Host host, String scope) {
    this.host = host;
    this.scope = scope;
  }

  /** The macvlan mode of the endpoints' (and the network port's) links. */
  abstract MacvlanMode mode();

  /** Why the network cannot be created here (its uplink is missing), or null when it can. */
  @Override
  public @Nullable String invalidNetwork(HostComputeNetwork n) {
    String named = adapterName(n);
    if (named != null) {
      return host.link(named).isPresent()
          ? null
          : "uplink adapter "
              + named
              + " (NetAdapterName) is not in the HNS host network namespace";
    }
    return defaultRouteDevice() != null
        ? null
        : "no uplink: give a NetAdapterName policy (the host has no default route to take it from)";
  }

  /** The uplink: the NetAdapterName policy's adapter, else the host's default-route device. */
  String uplink(HostComputeNetwork n) throws DataplaneException {
    String why = invalidNetwork(n);
    if (why != null) {
      throw new DataplaneException(type().wireName() + " network " + n.id() + ": " + why);
    }
    String named = adapterName(n);
    return named != null ? named : String.valueOf(defaultRouteDevice());
  }

  private static @Nullable String adapterName(HostComputeNetwork n) {
    for (NetworkPolicy p : n.policies()) {
      if (p.settings() instanceof NetAdapterNamePolicySetting s
          && s.networkAdapterName() != null
          && !s.networkAdapterName().isBlank()) {
        return s.networkAdapterName();
      }
    }
    return null;
  }

  private @Nullable String defaultRouteDevice() {
    for (Route r : host.rt().routes().list(Route.MAIN)) {
      if (r.dst().isIpv4() && r.dst().length() == 0 && r.device() != null) {
        return r.device();
      }
    }
    return null;
  }

  @Override
  public Undo createNetwork(HostComputeNetwork n) throws DataplaneException {
    String id = String.valueOf(n.id());
    String port = Names.uplinkPort(id);
    String uplink = uplink(n);
    Addressing.subnet(n); // the endpoints' addresses come from it: fail now, not at attach
    return Steps.run(
        type().wireName() + " network " + id,
        s -> {
          // a port of this name is this network's (reconcile after a crash)
          host.deleteLinkIfPresent(port);
          host.rt().links().addMacvlan(port, uplink, mode(), null);
          s.add(() -> host.deleteLinkIfPresent(port));
          host.rt().links().setAlias(port, Names.NETWORK_ALIAS + id.toLowerCase(Locale.ROOT));
        });
  }

  @Override
  public Undo deleteNetwork(HostComputeNetwork n) throws DataplaneException {
    String port = Names.uplinkPort(String.valueOf(n.id()));
    return Steps.run(
        "delete " + type().wireName() + " network " + n.id(),
        s -> {
          if (host.link(port).isPresent()) {
            host.rt().links().delete(port);
            s.add(() -> createNetwork(n));
          }
        });
  }

  /**
   * Nothing in the kernel until attach (the endpoint's link is born in its namespace); refuses an
   * address the uplink itself holds, which HNS IPAM may hand out on the host's own subnet.
   */
  @Override
  public Undo createEndpoint(HostComputeNetwork network, HostComputeEndpoint endpoint)
      throws DataplaneException {
    String uplink = uplink(network);
    for (IpConfig ip : endpoint.ipConfigurations()) {
      for (IfAddress a : host.rt().addresses().list(uplink)) {
        if (a.prefix().address().getHostAddress().equals(ip.ipAddress())) {
          throw new DataplaneException(
              "endpoint " + endpoint.id() + ": " + ip.ipAddress() + " is " + uplink + "'s own");
        }
      }
    }
    return Undo.NONE;
  }

  /** Removes the endpoint's link if it is still in its namespace (deleted while attached). */
  @Override
  public Undo deleteEndpoint(HostComputeNetwork network, HostComputeEndpoint endpoint)
      throws DataplaneException {
    String nsId = endpoint.hostComputeNamespace();
    if (nsId == null) {
      return Undo.NONE;
    }
    NetNs ns = NetNs.ofPath(NetNs.RUN_DIR.resolve(Names.netns(scope, nsId)));
    return detach(ns, network, endpoint);
  }

  @Override
  public Undo attach(NetNs ns, HostComputeNetwork network, HostComputeEndpoint endpoint)
      throws DataplaneException {
    String id = String.valueOf(endpoint.id());
    String uplink = uplink(network);
    return Steps.run(
        "attach endpoint " + id + " to " + ns,
        s -> {
          try (Rtnetlink in = Rtnetlink.open(ns)) {
            String stale = linkOf(in, id);
            if (stale != null) {
              in.links().delete(stale); // a leftover of a crashed attach is replaced
            }
            String ifName = Attach.freeName(in);
            host.rt().links().addMacvlan(ifName, uplink, mode(), ns);
            s.add(() -> deleteIn(ns, id));
            in.links().setAlias(ifName, Names.ENDPOINT_ALIAS + id.toLowerCase(Locale.ROOT));
            String mac = endpoint.macAddress();
            if (mac != null) {
              in.links().setMac(ifName, MacAddress.parse(mac));
            }
            Attach.configure(in, ifName, network, endpoint);
          }
        });
  }

  @Override
  public Undo detach(NetNs ns, HostComputeNetwork network, HostComputeEndpoint endpoint)
      throws DataplaneException {
    String id = String.valueOf(endpoint.id());
    return Steps.run(
        "detach endpoint " + id,
        s -> {
          if (deleteIn(ns, id)) {
            s.add(() -> attach(ns, network, endpoint));
          }
        });
  }

  /** Deletes endpoint {@code id}'s link in {@code ns}; false when the netns or link is gone. */
  static boolean deleteIn(NetNs ns, String id) {
    if (!Files.exists(ns.path())) {
      return false;
    }
    try (Rtnetlink in = Rtnetlink.open(ns)) {
      String link = linkOf(in, id);
      if (link == null) {
        return false;
      }
      in.links().delete(link);
      return true;
    }
  }

  /** The link in {@code in}'s namespace tagged with endpoint {@code id}, or null. */
  static @Nullable String linkOf(Rtnetlink in, String id) {
    String tag = Names.ENDPOINT_ALIAS + id.toLowerCase(Locale.ROOT);
    for (Map.Entry<String, String> e : in.links().aliases().entrySet()) {
      if (e.getValue().equals(tag)) {
        return e.getKey();
      }
    }
    return null;
  }
}
