package dev.silo.hns.linux;

import dev.silo.hns.spi.DataplaneException;
import dev.silo.schema.hcn.HostComputeEndpoint;
import dev.silo.schema.hcn.HostComputeLoadBalancer;
import dev.silo.schema.hcn.LoadBalancerPortMapping;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The nft script of HNS load balancers (VFP's load balancer layer on Windows): table {@code ip
 * silolb} in the map-element shape A2 of reference/lb.md, so that programming, modifying or
 * removing a load balancer only adds and deletes map elements in one atomic batch.
 *
 * <ul>
 *   <li>verdict map {@code fronts}: {@code VIP . proto . port} to {@code goto CHAIN}, or {@code
 *       drop} for a load balancer without backends;
 *   <li>one map {@code bN} per backend count N: {@code VIP . proto . port . slot} (slot 0..N-1) to
 *       {@code backend address . InternalPort};
 *   <li>one chain per (N, distribution, DSR) in use, holding the single dnat rule that picks the
 *       slot: {@code numgen random mod N} (DistributionType 0) or {@code jhash ip saddr mod N}
 *       (SourceIPProtocol 1 and SourceIP 2: one frontend has one protocol, so both reduce to the
 *       client address, and every port of the load balancer picks the same slot).
 * </ul>
 *
 * <p>A chain per N, not per load balancer: nft's numgen has one modulus per expression, and the
 * kernel's commit cost grows with every chain reachable from a base chain (lb.md), so the few
 * chains stay fixed while load balancers come and go as elements.
 *
 * <p>Not DSR: the dnat chain marks the connection and postrouting masquerades it, so a client on
 * the same bridge as the backend (hairpin) gets its replies through the host. DSR (flag 1): no
 * mark, no SNAT; the backend sees the client address and answers through its gateway, the host,
 * where conntrack undoes the DNAT; Linux has no VFP encapsulation to bypass the host on the way
 * back, so a DSR client on a backend's own bridge is not answered correctly. SourceVIP and the port
 * mapping flags (ILB, LocalRoutedVIP, UseMux, PreserveDIP) are kept in the store but change nothing
 * here: both hooks are always programmed, so the VIP answers from outside and from the host. Only
 * IPv4 frontends with at least one FrontendVIP are programmed.
 */
final class LbTable {
  static final String TABLE = "ip silolb";

  /** Element comments name their load balancer, so inventory and orphan removal find them. */
  static final String OWNER = "lb:";

  /** The conntrack mark of connections to masquerade (non-DSR); "silo b" in hex for a reader. */
  static final String SNAT_MARK = "0x5110b000";

  static final int FLAG_DSR = 1;
  static final int FLAG_IPV6 = 2;

  private static final Pattern IPV4 =
      Pattern.compile("((25[0-5]|2[0-4]\\d|1?\\d?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1?\\d?\\d)");
  private static final Pattern GUID = Pattern.compile("[0-9a-f-]{1,64}");

  private LbTable() {}

  /**
   * Creates the table, the fronts map and the base chains if missing and rewrites their rules;
   * idempotent (chains flushed and refilled in the same batch). Priority -105 runs before the nat
   * driver's port mappings (-100), and the nat output hook rejects {@code priority dstnat}.
   */
  static String ensure() {
    String lookup = " ip daddr . meta l4proto . th dport vmap @fronts\n";
    return "add table ip silolb\n"
        + "add map ip silolb fronts { type ipv4_addr . inet_proto . inet_service : verdict; }\n"
        + "add chain ip silolb prerouting { type nat hook prerouting priority -105; }\n"
        + "add chain ip silolb output { type nat hook output priority -105; }\n"
        + "add chain ip silolb postrouting { type nat hook postrouting priority srcnat; }\n"
        + "flush chain ip silolb prerouting\n"
        + "flush chain ip silolb output\n"
        + "flush chain ip silolb postrouting\n"
        + "add rule ip silolb prerouting"
        + lookup
        + "add rule ip silolb output"
        + lookup
        + "add rule ip silolb postrouting ct mark "
        + SNAT_MARK
        + " masquerade\n";
  }

  /**
   * How a frontend picks its backend: the backend count, client-address affinity and DSR; one chain
   * each, named e.g. {@code r3} (random, 3), {@code hd2} (hash, DSR, 2).
   */
  record Variant(int backends, boolean affinity, boolean dsr) {
    String chain() {
      return (affinity ? "h" : "r") + (dsr ? "d" : "") + backends;
    }

    String map() {
      return "b" + backends;
    }

    /** The chain of this variant with its one dnat rule (the map must exist or come first). */
    String ensure() {
      String pick =
          affinity
              ? "jhash ip saddr mod " + backends + " seed 0x5110"
              : "numgen random mod " + backends;
      return "add chain ip silolb "
          + chain()
          + "\nflush chain ip silolb "
          + chain()
          + "\nadd rule ip silolb "
          + chain()
          + (dsr ? "" : " ct mark set " + SNAT_MARK)
          + " dnat ip to ip daddr . meta l4proto . th dport . "
          + pick
          + " map @"
          + map()
          + "\n";
    }
  }

  /**
   * Map {@code bN} and all four variant chains of backend count N, in one batch: nft 1.0.6 cannot
   * add a rule that looks up a {@code typeof} map already in the kernel (it fails with "conflicting
   * protocols specified: ip vs. th" while rebuilding the key from the map's user data), so the
   * chains must be born with their map and are never rewritten afterwards.
   */
  static String ensureBackendCount(int n) {
    StringBuilder b =
        new StringBuilder("add map ip silolb b")
            .append(n)
            .append(" { typeof ip daddr . meta l4proto . th dport . numgen random mod ")
            .append(n)
            .append(" : ip daddr . th dport; }\n");
    for (boolean affinity : new boolean[] {false, true}) {
      for (boolean dsr : new boolean[] {false, true}) {
        b.append(new Variant(n, affinity, dsr).ensure());
      }
    }
    return b.toString();
  }

  /**
   * One element of {@code fronts} or a {@code bN} map, with its owner's comment. Added with {@code
   * create}, which fails on an existing key even with an equal value, so two load balancers never
   * share (and later delete) one frontend: the second gets "File exists".
   */
  record Element(String map, String key, String value, String owner) {
    String add() {
      return "create element ip silolb "
          + map
          + " { "
          + key
          + " comment \""
          + OWNER
          + owner
          + "\" : "
          + value
          + " }\n";
    }

    String delete() {
      return "delete element ip silolb " + map + " { " + key + " }\n";
    }
  }

  /** The elements of a load balancer over its backends (in their order: slot i is backend i). */
  static Set<Element> elements(HostComputeLoadBalancer lb, List<HostComputeEndpoint> backends)
      throws DataplaneException {
    String owner = owner(lb.id());
    int flags = lb.flags() == null ? 0 : lb.flags();
    if ((flags & FLAG_IPV6) != 0) {
      throw new DataplaneException("load balancer " + lb.id() + ": IPv6 is not supported");
    }
    if (lb.frontendVips().isEmpty() && !lb.portMappings().isEmpty()) {
      throw new DataplaneException(
          "load balancer "
              + lb.id()
              + ": no FrontendVIPs (host-port load balancers)"
              + " are not supported");
    }
    List<String> addresses = backendAddresses(lb, backends);
    Set<Element> out = new LinkedHashSet<>();
    for (String vip : lb.frontendVips()) {
      String v = checkedIpv4(vip.strip(), "FrontendVIP", lb);
      for (LoadBalancerPortMapping pm : lb.portMappings()) {
        frontend(out, v, pm, addresses, (flags & FLAG_DSR) != 0, owner);
      }
    }
    return out;
  }

  private static void frontend(
      Set<Element> out,
      String vip,
      LoadBalancerPortMapping pm,
      List<String> addresses,
      boolean dsr,
      String owner)
      throws DataplaneException {
    int ext = pm.externalPort() == null ? 0 : pm.externalPort();
    if (ext <= 0 || ext > 65535) {
      throw new DataplaneException("load balancer " + owner + ": ExternalPort " + ext);
    }
    int internal = pm.internalPort() == null || pm.internalPort() == 0 ? ext : pm.internalPort();
    String key = vip + " . " + proto(pm.protocol()) + " . " + ext;
    int n = addresses.size();
    if (n == 0) {
      out.add(new Element("fronts", key, "drop", owner));
      return;
    }
    boolean affinity = pm.distributionType() != null && pm.distributionType() != 0;
    Variant variant = new Variant(n, affinity, dsr);
    out.add(new Element("fronts", key, "goto " + variant.chain(), owner));
    for (int slot = 0; slot < n; slot++) {
      out.add(
          new Element(
              variant.map(), key + " . " + slot, addresses.get(slot) + " . " + internal, owner));
    }
  }

  /** The backend counts N whose map {@code bN} the elements use. */
  static Set<Integer> backendCounts(Collection<Element> elements) {
    Set<Integer> out = new LinkedHashSet<>();
    for (Element e : elements) {
      Integer n = backendCount(e.map());
      if (n != null) {
        out.add(n);
      }
    }
    return out;
  }

  /** N of a map named {@code bN}, or null for another name. */
  static @Nullable Integer backendCount(String map) {
    return map.matches("b[1-9][0-9]{0,8}") ? Integer.valueOf(map.substring(1)) : null;
  }

  /** Deletes {@code delete}, then adds {@code add}: one atomic batch. */
  static String batch(Collection<Element> delete, Collection<Element> add) {
    StringBuilder b = new StringBuilder();
    delete.forEach(e -> b.append(e.delete()));
    add.forEach(e -> b.append(e.add()));
    return b.toString();
  }

  private static List<String> backendAddresses(
      HostComputeLoadBalancer lb, List<HostComputeEndpoint> backends) throws DataplaneException {
    List<String> out = new java.util.ArrayList<>();
    for (HostComputeEndpoint ep : backends) {
      String ip = NatTable.ipv4(ep);
      if (ip == null) {
        throw new DataplaneException(
            "load balancer " + lb.id() + ": backend endpoint " + ep.id() + " has no IPv4 address");
      }
      out.add(ip);
    }
    return out;
  }

  /** The load balancer id as the elements' owner comment, checked: it goes into an nft script. */
  static String owner(@Nullable String id) throws DataplaneException {
    String owner = String.valueOf(id).toLowerCase(Locale.ROOT);
    if (!GUID.matcher(owner).matches()) {
      throw new DataplaneException("load balancer id '" + id + "': not a GUID");
    }
    return owner;
  }

  private static String checkedIpv4(String text, String what, HostComputeLoadBalancer lb)
      throws DataplaneException {
    if (!IPV4.matcher(text).matches()) {
      throw new DataplaneException(
          "load balancer " + lb.id() + ": " + what + " '" + text + "' is not an IPv4 address");
    }
    return text;
  }

  private static String proto(@Nullable Integer protocol) throws DataplaneException {
    int p = protocol == null ? 6 : protocol;
    return switch (p) {
      case 6 -> "tcp";
      case 17 -> "udp";
      default -> throw new DataplaneException("load balancer Protocol " + p + ": only 6 and 17");
    };
  }
}
