package dev.silo.hns.spi;

import dev.silo.schema.hcn.AclPolicySetting;
import dev.silo.schema.hcn.HostComputeNetwork;
import dev.silo.schema.hcn.NetworkPolicy;
import dev.silo.schema.hcn.SetPolicySetting;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The value syntax of ACL, SDNRoute and SetPolicy settings, shared by the service's validation and
 * the dataplanes: each parser returns the normalized value or throws an {@link
 * IllegalArgumentException} whose message is one clear line naming the field.
 */
public final class PolicySyntax {
  /** An ACL protocol set that matches every protocol (also written {@code 256} by HNS clients). */
  public static final int ANY = 256;

  private static final Pattern IPV4 =
      Pattern.compile("((25[0-5]|2[0-4]\\d|1?\\d?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1?\\d?\\d)");
  private static final Pattern SET_ID = Pattern.compile("[A-Za-z0-9_.:{}-]{1,128}");

  private PolicySyntax() {}

  /** ACL Action: {@code Allow}, {@code Block} or {@code Pass}, in that spelling. */
  public static String action(@Nullable String action) {
    for (String a : List.of("Allow", "Block", "Pass")) {
      if (a.equalsIgnoreCase(String.valueOf(action))) {
        return a;
      }
    }
    throw new IllegalArgumentException("ACL Action '" + action + "': not Allow, Block or Pass");
  }

  /** ACL Direction: {@code In} (to the endpoint) or {@code Out} (from it). */
  public static String direction(@Nullable String direction) {
    for (String d : List.of("In", "Out")) {
      if (d.equalsIgnoreCase(String.valueOf(direction))) {
        return d;
      }
    }
    throw new IllegalArgumentException("ACL Direction '" + direction + "': not In or Out");
  }

  /** ACL RuleType: {@code Host}, {@code Switch}, or absent. */
  public static void ruleType(@Nullable String ruleType) {
    if (ruleType != null
        && !ruleType.isBlank()
        && !ruleType.equalsIgnoreCase("Host")
        && !ruleType.equalsIgnoreCase("Switch")) {
      throw new IllegalArgumentException("ACL RuleType '" + ruleType + "': not Host or Switch");
    }
  }

  /**
   * ACL Protocols, a comma list of numbers (6, 17, 1, 58, 2) or names (TCP, UDP, ICMP): the IP
   * protocol numbers, or the single {@link #ANY} when absent or 256.
   */
  public static Set<Integer> protocols(@Nullable String protocols) {
    Set<Integer> out = new LinkedHashSet<>();
    for (String p : csv(protocols)) {
      int n =
          switch (p.toUpperCase(Locale.ROOT)) {
            case "TCP" -> 6;
            case "UDP" -> 17;
            case "ICMP", "ICMPV4" -> 1;
            case "ICMPV6" -> 58;
            case "ANY", "*" -> ANY;
            default -> number("ACL Protocols", p, 0, ANY);
          };
      out.add(n);
    }
    return out.isEmpty() || out.contains(ANY) ? Set.of(ANY) : out;
  }

  /** ACL ports: a comma list of ports 1-65535 or ranges {@code LOW-HIGH}, normalized. */
  public static List<String> ports(String field, @Nullable String ports) {
    List<String> out = new ArrayList<>();
    for (String p : csv(ports)) {
      int dash = p.indexOf('-');
      if (dash < 0) {
        out.add(String.valueOf(number(field, p, 1, 65535)));
      } else {
        int lo = number(field, p.substring(0, dash).strip(), 1, 65535);
        int hi = number(field, p.substring(dash + 1).strip(), 1, 65535);
        if (lo > hi) {
          throw new IllegalArgumentException(field + " '" + p + "': range runs backwards");
        }
        out.add(lo == hi ? String.valueOf(lo) : lo + "-" + hi);
      }
    }
    return out;
  }

  /**
   * ACL addresses: a comma list of IPv4 addresses, IPv4 prefixes (host bits cleared), or ids of the
   * network's SetPolicy sets (as Azure NPM writes them), which come back prefixed {@code @}.
   */
  public static List<String> addresses(String field, @Nullable String list, Set<String> setIds) {
    List<String> out = new ArrayList<>();
    for (String a : csv(list)) {
      if (setIds.contains(a)) {
        out.add("@" + a);
      } else if (a.equals("*") || a.equalsIgnoreCase("any")) {
        return List.of();
      } else {
        out.add(prefix(field, a));
      }
    }
    if (out.size() > 1 && out.stream().anyMatch(x -> x.startsWith("@"))) {
      throw new IllegalArgumentException(
          field + " '" + list + "': a SetPolicy id must stand alone (one set per rule)");
    }
    return out;
  }

  /** An IPv4 address or prefix, normalized ({@code 10.1.2.3/8} becomes {@code 10.0.0.0/8}). */
  public static String prefix(String field, String text) {
    String t = text.strip();
    int slash = t.indexOf('/');
    String addr = slash < 0 ? t : t.substring(0, slash);
    if (!IPV4.matcher(addr).matches()) {
      throw new IllegalArgumentException(field + " '" + text + "': not an IPv4 address or prefix");
    }
    if (slash < 0) {
      return addr;
    }
    int len;
    try {
      len = number(field, t.substring(slash + 1), 0, 32);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(field + " '" + text + "': prefix length not 0-32", e);
    }
    int bits = 0;
    for (String o : addr.split("\\.", -1)) {
      bits = (bits << 8) | Integer.parseInt(o);
    }
    int net = len == 0 ? 0 : bits & (-1 << (32 - len));
    String n =
        (net >>> 24) + "." + ((net >>> 16) & 255) + "." + ((net >>> 8) & 255) + "." + (net & 255);
    return len == 32 ? n : n + "/" + len;
  }

  /** The ids of the network's SetPolicy sets. */
  public static Set<String> setIds(HostComputeNetwork network) {
    return sets(network).keySet();
  }

  /** The network's SetPolicy settings by Id, in order. */
  public static Map<String, SetPolicySetting> sets(HostComputeNetwork network) {
    Map<String, SetPolicySetting> out = new LinkedHashMap<>();
    for (NetworkPolicy p : network.policies()) {
      if (p.settings() instanceof SetPolicySetting s && s.id() != null) {
        out.put(s.id(), s);
      }
    }
    return out;
  }

  /**
   * The members of every set of the network, nested sets flattened to the addresses of the sets
   * they name; fails on a bad Id, PolicyType, member, an unknown nested set or a cycle.
   */
  public static Map<String, Set<String>> flatten(HostComputeNetwork network) {
    Map<String, SetPolicySetting> sets = new LinkedHashMap<>();
    for (NetworkPolicy p : network.policies()) {
      if (p.settings() instanceof SetPolicySetting s) {
        if (s.id() == null || !SET_ID.matcher(s.id()).matches()) {
          throw new IllegalArgumentException(
              "SetPolicy Id '" + s.id() + "': 1-128 of [A-Za-z0-9_.:{}-]");
        }
        if (sets.put(s.id(), s) != null) {
          throw new IllegalArgumentException("SetPolicy Id '" + s.id() + "' appears twice");
        }
      }
    }
    Map<String, Set<String>> out = new LinkedHashMap<>();
    for (String id : sets.keySet()) {
      out.put(id, members(id, sets, new LinkedHashSet<>()));
    }
    return out;
  }

  private static Set<String> members(
      String id, Map<String, SetPolicySetting> sets, Set<String> path) {
    SetPolicySetting s = sets.get(id);
    if (s == null) {
      throw new IllegalArgumentException(
          "NESTEDIPSET member '" + id + "': no SetPolicy with that Id");
    }
    if (!path.add(id)) {
      throw new IllegalArgumentException(
          "SetPolicy '" + id + "': nested sets form a cycle " + path);
    }
    Set<String> out = new LinkedHashSet<>();
    String type = String.valueOf(s.policyType()).toUpperCase(Locale.ROOT);
    switch (type) {
      case "IPSET" ->
          csv(s.values()).forEach(v -> out.add(prefix("SetPolicy " + id + " Values", v)));
      case "NESTEDIPSET" -> csv(s.values()).forEach(v -> out.addAll(members(v, sets, path)));
      default ->
          throw new IllegalArgumentException(
              "SetPolicy " + id + " PolicyType '" + s.policyType() + "': not IPSET or NESTEDIPSET");
    }
    path.remove(id);
    return out;
  }

  /** Checks every field of an ACL against the network's sets. */
  public static void checkAcl(AclPolicySetting acl, Set<String> setIds) {
    action(acl.action());
    direction(acl.direction());
    ruleType(acl.ruleType());
    Set<Integer> protos = protocols(acl.protocols());
    addresses("ACL LocalAddresses", acl.localAddresses(), setIds);
    addresses("ACL RemoteAddresses", acl.remoteAddresses(), setIds);
    boolean ports =
        !ports("ACL LocalPorts", acl.localPorts()).isEmpty()
            || !ports("ACL RemotePorts", acl.remotePorts()).isEmpty();
    if (ports && !protos.contains(ANY) && !Set.of(6, 17).containsAll(protos)) {
      throw new IllegalArgumentException(
          "ACL ports need Protocols TCP (6) or UDP (17), not " + acl.protocols());
    }
    if (acl.priority() != null && (acl.priority() < 0 || acl.priority() > 65535)) {
      throw new IllegalArgumentException("ACL Priority " + acl.priority() + ": not 0-65535");
    }
  }

  private static int number(String field, String text, int min, int max) {
    if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(Character::isDigit)) {
      throw new IllegalArgumentException(
          field + " '" + text + "': not a number " + min + "-" + max);
    }
    int n = Integer.parseInt(text);
    if (n < min || n > max) {
      throw new IllegalArgumentException(field + " '" + text + "': not " + min + "-" + max);
    }
    return n;
  }

  /** The non-empty, stripped items of a comma list. */
  public static List<String> csv(@Nullable String list) {
    List<String> out = new ArrayList<>();
    if (list != null) {
      for (String s : list.split(",", -1)) {
        if (!s.isBlank()) {
          out.add(s.strip());
        }
      }
    }
    return out;
  }
}
