package dev.silo.daemon.docker;

import dev.silo.daemon.Log;
import dev.silo.daemon.http.ApiException;
import dev.silo.linux.net.NetNs;
import dev.silo.schema.hcn.NetworkType;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The embedded DNS server of user-defined networks (libnetwork's resolver, which dockerd puts at
 * 127.0.0.11 in every container and Docker on Windows at the network's gateway): one UDP socket on
 * each user nat network's gateway address, port 53, opened in the HNS host netns, answering A
 * queries for the containers on the asker's networks by name, short id and network alias. Answers
 * come from the container records at the moment of the query, so start, connect, disconnect and
 * remove change them at once. Not on the default {@code nat} network, as dockerd's default bridge
 * has no name resolution either.
 */
public final class NetworkDns implements NetworkRegistry.Watcher, AutoCloseable {
  /** dockerd's respTTL. */
  static final int TTL = 600;

  private final @Nullable String hostNetns;
  private final Supplier<List<ContainerRecord>> containers;
  private final Predicate<ContainerRecord> running;
  private final Log log;
  private final Map<String, DatagramChannel> listeners = new ConcurrentHashMap<>();

  public NetworkDns(
      @Nullable String hostNetns,
      Supplier<List<ContainerRecord>> containers,
      Predicate<ContainerRecord> running,
      Log log) {
    this.hostNetns = hostNetns;
    this.containers = containers;
    this.running = running;
    this.log = log;
  }

  /** Whether containers on {@code n} get the resolver: user nat networks with a gateway. */
  static boolean serves(NetworkRecord n) {
    try {
      return !n.predefined()
          && NetworkApi.type(n.driver()) == NetworkType.NAT
          && !n.ipam().isEmpty()
          && !n.ipam().get(0).gateway().isEmpty();
    } catch (ApiException e) {
      return false;
    }
  }

  /** Opens the listeners of every network that has one (daemon start). */
  public void openAll(List<NetworkRecord> networks) {
    networks.forEach(this::created);
  }

  @Override
  public void created(NetworkRecord n) {
    if (!serves(n) || listeners.containsKey(n.id())) {
      return;
    }
    String gateway = n.ipam().get(0).gateway();
    DatagramChannel ch;
    try {
      ch =
          hostNetns == null ? bind(gateway) : NetNs.run(NetNs.open(hostNetns), () -> bind(gateway));
    } catch (IOException | RuntimeException e) {
      log.warn("network " + n.name() + ": no DNS on " + gateway + ":53: " + e.getMessage());
      return;
    }
    listeners.put(n.id(), ch);
    Thread.ofVirtual().name("dns-" + n.name()).start(() -> serve(n, ch));
  }

  @Override
  public void removed(NetworkRecord n) {
    DatagramChannel ch = listeners.remove(n.id());
    if (ch != null) {
      closeQuietly(ch);
    }
  }

  /** The listeners' network ids (for tests and diagnostics). */
  List<String> serving() {
    return List.copyOf(listeners.keySet());
  }

  @Override
  public void close() {
    for (String id : List.copyOf(listeners.keySet())) {
      DatagramChannel ch = listeners.remove(id);
      if (ch != null) {
        closeQuietly(ch);
      }
    }
  }

  private static DatagramChannel bind(String gateway) throws IOException {
    DatagramChannel ch = DatagramChannel.open(StandardProtocolFamily.INET);
    try {
      ch.bind(new InetSocketAddress(InetAddress.getByName(gateway), 53));
      return ch;
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  private void serve(NetworkRecord n, DatagramChannel ch) {
    ByteBuffer in = ByteBuffer.allocate(1500);
    while (true) {
      SocketAddress from;
      try {
        in.clear();
        from = ch.receive(in);
      } catch (ClosedChannelException e) {
        return;
      } catch (IOException e) {
        log.warn("network " + n.name() + ": DNS listener stopped: " + e.getMessage());
        listeners.remove(n.id(), ch); // so that a later created() can open it again
        closeQuietly(ch);
        return;
      }
      if (!(from instanceof InetSocketAddress src)) {
        continue;
      }
      byte[] reply = reply(n, src.getAddress().getHostAddress(), in.array(), in.position());
      if (reply == null) {
        continue;
      }
      try {
        ch.send(ByteBuffer.wrap(reply), src);
      } catch (ClosedChannelException e) {
        return;
      } catch (IOException e) {
        log.debug("network " + n.name() + ": DNS answer to " + src + ": " + e.getMessage());
      }
    }
  }

  /** The answer to one datagram from {@code src} on {@code n}, or null to stay silent. */
  byte @Nullable [] reply(NetworkRecord n, String src, byte[] b, int len) {
    DnsMessage.Query q = DnsMessage.parse(b, len);
    if (q == null) {
      return null;
    }
    if (!q.valid()) {
      return DnsMessage.answer(q, DnsMessage.FORMERR, List.of(), 0);
    }
    if (q.opcode() != 0) {
      return DnsMessage.answer(q, DnsMessage.NOTIMP, List.of(), 0);
    }
    Resolution r = resolve(q.name(), n, src, containers.get(), running);
    if (r.addresses() == null) {
      return DnsMessage.answer(
          q, r.inZone() ? DnsMessage.NXDOMAIN : DnsMessage.REFUSED, List.of(), 0);
    }
    // a known name: its A records; any other type is an empty NOERROR (dockerd's IPv6 miss)
    List<Inet4Address> an =
        q.type() == DnsMessage.TYPE_A && q.qclass() == DnsMessage.CLASS_IN
            ? r.addresses()
            : List.of();
    return DnsMessage.answer(q, DnsMessage.NOERROR, an, TTL);
  }

  /**
   * What a name resolves to.
   *
   * @param addresses the addresses, null when the name is unknown
   * @param inZone whether an unknown name is one this resolver is the authority for (no dot, or
   *     ending in one of the asker's network names): NXDOMAIN, else REFUSED
   */
  record Resolution(@Nullable List<Inet4Address> addresses, boolean inZone) {}

  /**
   * Resolves {@code name} for the container at {@code src}: on {@code n} first if the asker is on
   * it, then on the asker's other networks in connect order (libnetwork's resolver asks the
   * sandbox's endpoints in turn); never on a network the asker is not on (a sender that is no
   * container gets {@code n} only). A name matches a running container's name, short id or alias on
   * that network, bare or followed by {@code .<network>}; every matching container's address is
   * answered (several containers may share an alias).
   */
  static Resolution resolve(
      String name,
      NetworkRecord n,
      String src,
      List<ContainerRecord> all,
      Predicate<ContainerRecord> running) {
    Map<String, String> scope = new LinkedHashMap<>(); // network id → name
    ContainerRecord asker = asker(n, src, all);
    if (asker == null || asker.network(n.id()) != null) {
      scope.put(n.id(), n.name());
    }
    if (asker != null) {
      asker.networks().forEach(o -> scope.putIfAbsent(o.networkId(), o.network()));
    }
    boolean inZone = !name.contains(".");
    for (Map.Entry<String, String> net : scope.entrySet()) {
      String suffix = "." + net.getValue().toLowerCase(Locale.ROOT);
      String key = name;
      if (name.endsWith(suffix) && name.length() > suffix.length()) {
        key = name.substring(0, name.length() - suffix.length());
        inZone = true;
      }
      List<Inet4Address> found = new ArrayList<>();
      for (ContainerRecord c : all) {
        ContainerRecord.Endpoint e = c.network(net.getKey());
        if (e != null && e.made() && !e.ipAddress().isEmpty() && named(c, e, key)) {
          Inet4Address a = v4(e.ipAddress());
          if (a != null && !found.contains(a) && running.test(c)) {
            found.add(a);
          }
        }
      }
      if (!found.isEmpty()) {
        return new Resolution(List.copyOf(found), true);
      }
    }
    return new Resolution(null, inZone);
  }

  /**
   * The container that sent from {@code src}: the one with that address on {@code n}, else on any
   * network (a container that left {@code n} still reaches its gateway, which the HNS host holds,
   * through another network's default route). Null for anything else.
   */
  private static @Nullable ContainerRecord asker(
      NetworkRecord n, String src, List<ContainerRecord> all) {
    ContainerRecord elsewhere = null;
    for (ContainerRecord c : all) {
      for (ContainerRecord.Endpoint e : c.networks()) {
        if (e.made() && e.ipAddress().equals(src)) {
          if (e.networkId().equals(n.id())) {
            return c;
          }
          elsewhere = elsewhere == null ? c : elsewhere;
        }
      }
    }
    return elsewhere;
  }

  private static boolean named(ContainerRecord c, ContainerRecord.Endpoint e, String key) {
    if (c.name().substring(1).equalsIgnoreCase(key) || c.shortId().equalsIgnoreCase(key)) {
      return true;
    }
    return e.aliases().stream().anyMatch(a -> a.equalsIgnoreCase(key));
  }

  private static @Nullable Inet4Address v4(String ip) {
    Integer a = Cidr4.address(ip);
    if (a == null) {
      return null;
    }
    try {
      return (Inet4Address)
          InetAddress.getByAddress(
              new byte[] {(byte) (a >>> 24), (byte) (a >>> 16), (byte) (a >>> 8), (byte) (int) a});
    } catch (IOException e) {
      return null;
    }
  }

  private static void closeQuietly(DatagramChannel ch) {
    try {
      ch.close();
    } catch (IOException e) {
      // closing: nothing to do
    }
  }
}
