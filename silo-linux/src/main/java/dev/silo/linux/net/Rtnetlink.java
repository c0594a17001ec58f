package dev.silo.linux.net;

import java.util.HashMap;
import java.util.Map;

/**
 * One rtnetlink ({@code NETLINK_ROUTE}) socket bound in one network namespace, the programmatic
 * {@code ip link/addr/route/neigh} and {@code bridge fdb} that HNS drivers program through.
 *
 * <p>The socket belongs to the namespace it was created in, so every request acts there whatever
 * thread sends it; no thread switches namespace after {@link #open(NetNs)}. Requests are
 * serialized; every mutating one waits for the kernel's ACK and fails with a {@link NetException}
 * such as {@code RTM_NEWLINK veth silo0a: File exists}.
 *
 * <pre>{@code
 * try (Rtnetlink rt = Rtnetlink.open(hostNs)) {
 *   rt.links().addVeth("silo0a", "eth0", containerNs);
 *   rt.links().setMaster("silo0a", "silobr0");
 *   rt.links().setUp("silo0a");
 * }
 * }</pre>
 */
public final class Rtnetlink implements AutoCloseable {
  private final NetlinkChannel socket;
  private final Links links;
  private final Addresses addresses;
  private final Routes routes;
  private final Neighbours neighbours;
  private final Qdiscs qdiscs;

  Rtnetlink(NetlinkChannel socket) {
    this.socket = socket;
    this.links = new Links(this);
    this.addresses = new Addresses(this);
    this.routes = new Routes(this);
    this.neighbours = new Neighbours(this);
    this.qdiscs = new Qdiscs(this);
  }

  /** A socket in the calling thread's namespace (the daemon's host namespace, normally). */
  public static Rtnetlink open() {
    return new Rtnetlink(NetlinkSocket.open());
  }

  /** A socket in {@code ns}, created on a thread briefly switched there. */
  public static Rtnetlink open(NetNs ns) {
    return new Rtnetlink(NetNs.<NetlinkChannel, RuntimeException>run(ns, NetlinkSocket::open));
  }

  /** Interfaces: veth, bridge, vxlan, macvlan, ipvlan; up/down, MTU, MAC, master, netns. */
  public Links links() {
    return links;
  }

  /** Interface addresses. */
  public Addresses addresses() {
    return addresses;
  }

  /** IP routes. */
  public Routes routes() {
    return routes;
  }

  /** Neighbour (ARP/NDP) entries and bridge FDB entries. */
  public Neighbours neighbours() {
    return neighbours;
  }

  /** Queueing disciplines (the root tbf of QOS policies). */
  public Qdiscs qdiscs() {
    return qdiscs;
  }

  NetlinkChannel socket() {
    return socket;
  }

  /** Interface index to name, for listings that report names. */
  Map<Integer, String> indexNames() {
    Map<Integer, String> names = new HashMap<>();
    for (Link l : links.list()) {
      names.put(l.index(), l.name());
    }
    return names;
  }

  @Override
  public void close() {
    socket.close();
  }
}
