package dev.silo.hns.linux;

import dev.silo.hns.spi.PolicySyntax;
import dev.silo.schema.hcn.AclPolicySetting;
import dev.silo.schema.hcn.HostComputeEndpoint;
import dev.silo.schema.hcn.HostComputeNetwork;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The nft script of ACL and SetPolicy policies: one table {@code bridge siloacl} (bridge family,
 * because traffic between two endpoints of one bridge never reaches the {@code ip} hooks, and its
 * filter hooks see every frame entering or leaving an endpoint's host veth: {@code forward} between
 * ports, {@code input}/{@code output} to and from the host).
 *
 * <p>Each endpoint with ACLs has a chain per direction ({@code inHEX10} for In = to the container,
 * leaving through the host veth; {@code outHEX10} for Out = from it, entering through it), jumped
 * to from the fixed base chains through the verdict maps {@code toep} ({@code oifname}) and {@code
 * fromep} ({@code iifname}); a policy change rewrites that chain and at most one map element. Rules
 * run in HNS order, lower Priority first, and no match falls through to accept (the endpoint's
 * default without a blocking rule). The filter is stateless (this kernel has no bridge conntrack):
 * a Block rule on TCP matches only connection-opening segments (SYN without ACK), so blocking In
 * still lets the replies of the endpoint's own outgoing connections in, as VFP's stateful rules do.
 */
final class AclTable {
  static final String TABLE = "bridge siloacl";
  static final String FAMILY = "bridge";
  static final String NAME = "siloacl";
  private static final String SET_SPEC =
      " { type ipv4_addr; flags interval; auto-merge; comment \"set:";

  private AclTable() {}

  /** Creates the table, maps and base chains if missing and rewrites the base rules. */
  static String ensure() {
    StringBuilder b = new StringBuilder();
    b.append("add table bridge siloacl\n")
        .append("add map bridge siloacl toep { type ifname : verdict; }\n")
        .append("add map bridge siloacl fromep { type ifname : verdict; }\n");
    for (String hook : List.of("forward", "input", "output")) {
      b.append("add chain bridge siloacl ")
          .append(hook)
          .append(" { type filter hook ")
          .append(hook)
          .append(" priority 0; policy accept; }\n")
          .append("flush chain bridge siloacl ")
          .append(hook)
          .append('\n');
      if (!hook.equals("output")) {
        b.append("add rule bridge siloacl ").append(hook).append(" iifname vmap @fromep\n");
      }
      if (!hook.equals("input")) {
        b.append("add rule bridge siloacl ").append(hook).append(" oifname vmap @toep\n");
      }
    }
    return b.toString();
  }

  /** The endpoint's chain of a direction, e.g. {@code in0a1b2c3d4e}. */
  static String chain(String direction, String endpointId) {
    return direction.toLowerCase(java.util.Locale.ROOT)
        + Names.hostVeth(endpointId).substring(Names.VETH_PREFIX.length());
  }

  /** The nft set of SetPolicy {@code setId} of a network, e.g. {@code s3f2504e04f}. */
  static String setName(String networkId, String setId) {
    try {
      byte[] h =
          MessageDigest.getInstance("SHA-256")
              .digest(
                  (networkId.toLowerCase(java.util.Locale.ROOT) + "/" + setId)
                      .getBytes(StandardCharsets.UTF_8));
      return "s" + HexFormat.of().formatHex(h, 0, 5);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The endpoint's rules by direction ({@code In}, {@code Out}), each list in evaluation order:
   * ascending Priority, ties in policy order. Directions without ACLs are absent.
   */
  static Map<String, List<String>> rules(HostComputeNetwork net, HostComputeEndpoint ep) {
    Set<String> sets = PolicySyntax.setIds(net);
    List<AclPolicySetting> acls = new ArrayList<>(ep.policySettings(AclPolicySetting.class));
    // a stable sort keeps the given order among equal priorities
    acls.sort(Comparator.comparingInt(a -> a.priority() == null ? 0 : a.priority()));
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (AclPolicySetting a : acls) {
      PolicySyntax.checkAcl(a, sets);
      String dir = PolicySyntax.direction(a.direction());
      out.computeIfAbsent(dir, k -> new ArrayList<>()).addAll(rule(net, a, dir, sets));
    }
    return out;
  }

  /** One ACL as rule bodies (two for a protocol-agnostic Block: TCP openings, then the rest). */
  static List<String> rule(
      HostComputeNetwork net, AclPolicySetting a, String dir, Set<String> sets) {
    boolean in = dir.equals("In");
    String action = PolicySyntax.action(a.action());
    Set<Integer> protos = PolicySyntax.protocols(a.protocols());
    List<String> localPorts = PolicySyntax.ports("ACL LocalPorts", a.localPorts());
    List<String> remotePorts = PolicySyntax.ports("ACL RemotePorts", a.remotePorts());
    boolean ports = !localPorts.isEmpty() || !remotePorts.isEmpty();
    StringBuilder m = new StringBuilder();
    String id = String.valueOf(net.id());
    addr(
        m,
        in ? "daddr" : "saddr",
        PolicySyntax.addresses("ACL LocalAddresses", a.localAddresses(), sets),
        id);
    addr(
        m,
        in ? "saddr" : "daddr",
        PolicySyntax.addresses("ACL RemoteAddresses", a.remoteAddresses(), sets),
        id);
    String l4 = "";
    if (ports) {
      l4 =
          set(in ? " th dport " : " th sport ", localPorts)
              + set(in ? " th sport " : " th dport ", remotePorts);
    }
    String verdict =
        switch (action) {
          case "Allow" -> " accept";
          case "Block" -> " drop";
          default -> " continue";
        };
    boolean any = protos.contains(PolicySyntax.ANY);
    Set<Integer> p = any && ports ? Set.of(6, 17) : protos;
    boolean block = action.equals("Block");
    if (!block || !(any || p.contains(6))) {
      return List.of(proto(p, any && !ports) + m + l4 + verdict);
    }
    List<String> out = new ArrayList<>();
    out.add("meta l4proto tcp" + m + l4 + " tcp flags & (syn | ack) == syn" + verdict);
    if (any && !ports) {
      out.add("ether type ip meta l4proto != tcp" + m + verdict);
    } else if (p.size() > 1) {
      Set<Integer> rest = p.stream().filter(x -> x != 6).collect(Collectors.toSet());
      out.add(proto(rest, false) + m + l4 + verdict);
    }
    return out;
  }

  private static String proto(Set<Integer> protos, boolean any) {
    if (any) {
      return "ether type ip";
    }
    return "meta l4proto "
        + set("", protos.stream().sorted().map(String::valueOf).toList()).strip();
  }

  private static void addr(StringBuilder m, String field, List<String> addrs, String networkId) {
    if (addrs.isEmpty()) {
      return;
    }
    List<String> sets = addrs.stream().filter(x -> x.startsWith("@")).toList();
    if (!sets.isEmpty()) {
      m.append(" ip ")
          .append(field)
          .append(" @")
          .append(setName(networkId, sets.get(0).substring(1)));
    } else {
      m.append(" ip ").append(field).append(set(" ", addrs));
    }
  }

  private static String set(String prefix, List<String> items) {
    if (items.isEmpty()) {
      return "";
    }
    return prefix + (items.size() == 1 ? items.get(0) : "{ " + String.join(", ", items) + " }");
  }

  /**
   * The batch that takes the endpoint's chains from {@code before} to {@code after} (rules by
   * direction): a chain and its map element appear or go with its direction's first or last ACL,
   * and a kept chain is flushed and refilled.
   */
  static String endpointBatch(
      String endpointId, Map<String, List<String>> before, Map<String, List<String>> after) {
    StringBuilder b = new StringBuilder();
    String veth = Names.hostVeth(endpointId);
    for (String dir : List.of("In", "Out")) {
      List<String> old = before.get(dir);
      List<String> now = after.get(dir);
      if (java.util.Objects.equals(old, now)) {
        continue;
      }
      String chain = chain(dir, endpointId);
      String map = dir.equals("In") ? "toep" : "fromep";
      // add (idempotent) before flush or delete, so a chain lost or left behind the store's
      // back (reconcile, a crash) never fails the call nor doubles its rules
      b.append("add chain bridge siloacl ").append(chain).append('\n');
      b.append("add element bridge siloacl ")
          .append(map)
          .append(" { \"")
          .append(veth)
          .append("\" : jump ")
          .append(chain)
          .append(" }\n");
      b.append("flush chain bridge siloacl ").append(chain).append('\n');
      if (now == null) {
        b.append("delete element bridge siloacl ")
            .append(map)
            .append(" { \"")
            .append(veth)
            .append("\" }\n");
        b.append("delete chain bridge siloacl ").append(chain).append('\n');
        continue;
      }
      for (String r : now) {
        b.append("add rule bridge siloacl ").append(chain).append(' ').append(r).append('\n');
      }
    }
    return b.toString();
  }

  /**
   * The batch that takes the network's nft sets from {@code before} to {@code after} (set id to
   * flattened members): new sets created, changed ones flushed and refilled, gone ones deleted.
   */
  static String setBatch(
      String networkId, Map<String, Set<String>> before, Map<String, Set<String>> after) {
    StringBuilder b = new StringBuilder();
    for (Map.Entry<String, Set<String>> e : after.entrySet()) {
      if (e.getValue().equals(before.get(e.getKey()))) {
        continue;
      }
      String name = setName(networkId, e.getKey());
      b.append("add set bridge siloacl ")
          .append(name)
          .append(SET_SPEC)
          .append(e.getKey())
          .append("\"; }\n");
      b.append("flush set bridge siloacl ").append(name).append('\n');
      if (!e.getValue().isEmpty()) {
        b.append("add element bridge siloacl ")
            .append(name)
            .append(" { ")
            .append(String.join(", ", e.getValue()))
            .append(" }\n");
      }
    }
    for (String gone : before.keySet()) {
      if (!after.containsKey(gone)) {
        String name = setName(networkId, gone);
        b.append("add set bridge siloacl ")
            .append(name)
            .append(SET_SPEC)
            .append(gone)
            .append("\"; }\n");
        b.append("delete set bridge siloacl ").append(name).append('\n');
      }
    }
    return b.toString();
  }
}
