package dev.silo.hns.linux;

import dev.silo.hns.spi.DataplaneException;
import dev.silo.linux.net.NftConcat;
import dev.silo.linux.net.NftSetElements;
import dev.silo.schema.hcn.HostComputeEndpoint;
import dev.silo.schema.hcn.HostComputeLoadBalancer;
import dev.silo.schema.hcn.LoadBalancerPortMapping;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The nft script of HNS load balancers (VFP's load balancer layer on Windows): table {@code ip
 * silolb} in the map-element shape A2 of reference/lb.md, so that programming, modifying or
 * removing a load balancer only adds and deletes set and map elements in one atomic batch. The
 * table, maps and rules are nft script (libnftables); the elements go to the kernel as netlink
 * ({@link NftSetElements}), their text form here being the diff and inventory key.
 *
 * <ul>
 *   <li>one map per variant (backend count N, distribution, DSR) in use, e.g. {@code r3}: {@code
 *       VIP . proto . port . slot} (slot 0..N-1) to {@code backend address . InternalPort}, looked
 *       up by one dnat rule per hook that picks the slot with {@code numgen random mod N}
 *       (DistributionType 0) or {@code jhash ip saddr mod N} (SourceIPProtocol 1 and SourceIP 2:
 *       one frontend has one protocol, so both reduce to the client address, and every port of the
 *       load balancer picks the same slot);
 *   <li>set {@code fronts} of every programmed {@code VIP . proto . port}, matched by no rule: its
 *       elements are created with {@code create}, so a second load balancer on a taken frontend
 *       fails with "File exists" instead of silently sharing (and later deleting) it;
 *   <li>set {@code nobackend}: frontends of load balancers without backends, dropped.
 * </ul>
 *
 * <p>No verdict maps and no chain per load balancer: an element carrying a jump or goto makes the
 * kernel re-validate every path from the base chains at commit, which costs O(load balancers) per
 * change (measured: 6 ms per change at 10 000 with a {@code fronts} verdict map); plain data
 * elements commit in O(1). nft's numgen has one modulus per expression, hence a map per N.
 *
 * <p>Not DSR: the dnat rule marks the connection and postrouting masquerades it, so a client on the
 * same bridge as the backend (hairpin) gets its replies through the host. DSR (flag 1): no mark, no
 * SNAT; the backend sees the client address and answers through its gateway, the host, where
 * conntrack undoes the DNAT; Linux has no VFP encapsulation to bypass the host on the way back, so
 * a DSR client on a backend's own bridge is not answered correctly. SourceVIP and the port mapping
 * flags (ILB, LocalRoutedVIP, UseMux, PreserveDIP) are kept in the store but change nothing here:
 * both hooks are always programmed, so the VIP answers from outside and from the host. Only IPv4
 * frontends with at least one FrontendVIP are programmed.
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
  private static final Pattern VARIANT = Pattern.compile("([rh])(d?)([1-9][0-9]{0,8})");

  private LbTable() {}

  /**
   * Creates the table with its sets, base chains and fixed rules; only when the table is missing
   * (the rules are never rewritten, see {@link Variant#ensure}). Priority -105 runs before the nat
   * driver's port mappings (-100), and the nat output hook rejects {@code priority dstnat}.
   */
  static String create() {
    String drop = " ip daddr . meta l4proto . th dport @nobackend drop\n";
    return "add table ip silolb\n"
        + "add set ip silolb fronts { type ipv4_addr . inet_proto . inet_service; }\n"
        + "add set ip silolb nobackend { type ipv4_addr . inet_proto . inet_service; }\n"
        + "add chain ip silolb prerouting { type nat hook prerouting priority -105; }\n"
        + "add chain ip silolb output { type nat hook output priority -105; }\n"
        + "add chain ip silolb postrouting { type nat hook postrouting priority srcnat; }\n"
        + "add rule ip silolb prerouting"
        + drop
        + "add rule ip silolb output"
        + drop
        + "add rule ip silolb postrouting ct mark "
        + SNAT_MARK
        + " masquerade\n";
  }

  /**
   * How a frontend picks its backend: the backend count, client-address affinity and DSR; one map
   * and one rule per hook each, named e.g. {@code r3} (random, 3), {@code hd2} (hash, DSR, 2).
   */
  record Variant(int backends, boolean affinity, boolean dsr) {
    String map() {
      return (affinity ? "h" : "r") + (dsr ? "d" : "") + backends;
    }

    /**
     * The map and its dnat rule in both hooks, in one batch and only when the map is missing: nft
     * 1.0.6 cannot add a rule that looks up a {@code typeof} map already in the kernel (it fails
     * with "conflicting protocols specified: ip vs. th" while rebuilding the key from the map's
     * user data), so the rules are born with their map and never rewritten.
     */
    String ensure() {
      String pick =
          affinity
              ? "jhash ip saddr mod " + backends + " seed 0x5110"
              : "numgen random mod " + backends;
      String rule =
          (dsr ? "" : " ct mark set " + SNAT_MARK)
              + " dnat ip to ip daddr . meta l4proto . th dport . "
              + pick
              + " map @"
              + map()
              + "\n";
      return "add map ip silolb "
          + map()
          + " { typeof ip daddr . meta l4proto . th dport . numgen random mod "
          + backends
          + " : ip daddr . th dport; }\n"
          + "add rule ip silolb prerouting"
          + rule
          + "add rule ip silolb output"
          + rule;
    }

    /** The variant of a map name, or null when the name is not one. */
    static @Nullable Variant of(String map) {
      Matcher m = VARIANT.matcher(map);
      if (!m.matches()) {
        return null;
      }
      return new Variant(
          Integer.parseInt(m.group(3)), m.group(1).equals("h"), !m.group(2).isEmpty());
    }
  }

  /**
   * One element of a set ({@code fronts}, {@code nobackend}: empty value) or of a variant map, with
   * its owner's comment; added with {@code create}, which fails on an existing key.
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
          + "\""
          + (value.isEmpty() ? "" : " : " + value)
          + " }\n";
    }

    String delete() {
      return "delete element ip silolb " + map + " { " + key + " }\n";
    }

    /**
     * The element for {@link NftSetElements}: the key {@code VIP . proto . port [. slot]} and the
     * value {@code backend . port}, from the text this record holds (which is also how it is read
     * back from {@code nft -j list}).
     */
    NftSetElements.Element nft() {
      return new NftSetElements.Element(
          map, concat(key, false), value.isEmpty() ? null : concat(value, true), OWNER + owner);
    }

    private static NftConcat concat(String text, boolean value) {
      List<String> f = fields(text);
      NftConcat c = NftConcat.of().ipv4(f.get(0));
      if (value) {
        return f.size() == 2 ? c.port(number(f.get(1), text)) : bad(text);
      }
      if (f.size() != 3 && f.size() != 4) {
        return bad(text);
      }
      c.proto(
          switch (f.get(1)) {
            case "tcp" -> 6;
            case "udp" -> 17;
            default -> number(f.get(1), text);
          });
      c.port(number(f.get(2), text));
      return f.size() == 4 ? c.u32(number(f.get(3), text)) : c;
    }

    /** The fields of {@code a . b . c} (no regex: this runs for every element of a full sync). */
    private static List<String> fields(String text) {
      List<String> out = new java.util.ArrayList<>(4);
      int at = 0;
      for (int i = text.indexOf(" . "); i >= 0; i = text.indexOf(" . ", at)) {
        out.add(text.substring(at, i));
        at = i + 3;
      }
      out.add(text.substring(at));
      return out;
    }

    private static int number(String field, String text) {
      try {
        return Integer.parseInt(field);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("load balancer element '" + text + "': " + field, e);
      }
    }

    private static NftConcat bad(String text) {
      throw new IllegalArgumentException("load balancer element '" + text + "': malformed");
    }
  }

  /**
   * The elements for {@link NftSetElements}, in order, each converted when read: the batch writer
   * reads each once, so a full sync's 100 000 converted elements die young instead of all being
   * held at once.
   */
  static List<NftSetElements.Element> nft(Collection<Element> elements) {
    List<Element> in = new java.util.ArrayList<>(elements);
    return new java.util.AbstractList<>() {
      @Override
      public NftSetElements.Element get(int index) {
        return in.get(index).nft();
      }

      @Override
      public int size() {
        return in.size();
      }
    };
  }

  /** The elements of a load balancer over its backends (in their order: slot i is backend i). */
  static Set<Element> elements(HostComputeLoadBalancer lb, List<HostComputeEndpoint> backends)
      throws DataplaneException {
    return elements(lb, backends, new IdentityHashMap<>());
  }

  /**
   * The same, with the backend addresses found so far by endpoint instance: a full sync passes the
   * same few endpoints for thousands of load balancers.
   */
  static Set<Element> elements(
      HostComputeLoadBalancer lb,
      List<HostComputeEndpoint> backends,
      Map<HostComputeEndpoint, String> addresses)
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
    List<String> ips = backendAddresses(lb, backends, addresses);
    int n = lb.frontendVips().size() * lb.portMappings().size() * (ips.size() + 1);
    Set<Element> out = LinkedHashSet.newLinkedHashSet(n);
    for (String vip : lb.frontendVips()) {
      String v = checkedIpv4(vip.strip(), "FrontendVIP", lb);
      for (LoadBalancerPortMapping pm : lb.portMappings()) {
        frontend(out, v, pm, ips, (flags & FLAG_DSR) != 0, owner);
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
    out.add(new Element("fronts", key, "", owner));
    int n = addresses.size();
    if (n == 0) {
      out.add(new Element("nobackend", key, "", owner));
      return;
    }
    boolean affinity = pm.distributionType() != null && pm.distributionType() != 0;
    String map = new Variant(n, affinity, dsr).map();
    for (int slot = 0; slot < n; slot++) {
      out.add(new Element(map, key + " . " + slot, addresses.get(slot) + " . " + internal, owner));
    }
  }

  /** The variants whose maps the elements use. */
  static Set<Variant> variants(Collection<Element> elements) {
    Set<String> maps = new LinkedHashSet<>();
    elements.forEach(e -> maps.add(e.map()));
    Set<Variant> out = new LinkedHashSet<>();
    for (String map : maps) {
      Variant v = Variant.of(map);
      if (v != null) {
        out.add(v);
      }
    }
    return out;
  }

  private static List<String> backendAddresses(
      HostComputeLoadBalancer lb,
      List<HostComputeEndpoint> backends,
      Map<HostComputeEndpoint, String> known)
      throws DataplaneException {
    List<String> out = new java.util.ArrayList<>(backends.size());
    for (HostComputeEndpoint ep : backends) {
      String ip = known.get(ep);
      if (ip == null) {
        ip = NatTable.ipv4(ep);
        if (ip != null) {
          known.put(ep, ip);
        }
      }
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
