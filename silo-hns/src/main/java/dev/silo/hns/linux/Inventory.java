package dev.silo.hns.linux;

import dev.silo.hns.spi.DataplaneException;
import dev.silo.hns.spi.KernelInventory;
import dev.silo.linux.net.IfAddress;
import dev.silo.linux.net.Link;
import dev.silo.linux.net.NetNs;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Reads what HNS has programmed from the kernel by the deterministic names of {@link Names}:
 * bridges and host veth ends tagged with their id, table elements tagged with their endpoint, and
 * netns of this host's scope.
 *
 * <p>A Silo-named link without an id alias is reported under its link name, so reconcile sees it as
 * an orphan and removes it; so is a host veth end that lost its bridge (master 0), which makes
 * reconcile remove it and re-attach the endpoint. An endpoint counts as attached only with a
 * tagged, bridged host veth; one with only table elements (port maps of an unattached endpoint)
 * counts as present.
 */
final class Inventory {
  private Inventory() {}

  static KernelInventory scan(Host host, String scope, NatDriver nat) {
    Set<String> networks = new HashSet<>();
    Set<String> endpoints = new HashSet<>();
    Set<String> attached = new HashSet<>();
    String json = nat.tableJson();
    scanLinks(host, json == null, networks, endpoints, attached);
    if (json != null) {
      endpoints.addAll(OwnedElements.parse(json).keySet());
    }
    Set<String> namespaces = new HashSet<>();
    for (String name : NetNs.list()) {
      String id = Names.namespaceIdOf(scope, name);
      if (id != null) {
        namespaces.add(id);
      }
    }
    // an uplink endpoint's macvlan exists only inside its namespace: present means attached
    Set<String> uplinkEndpoints = new HashSet<>();
    UplinkInventory.scan(host, scope, networks, uplinkEndpoints);
    endpoints.addAll(uplinkEndpoints);
    attached.addAll(uplinkEndpoints);
    return new KernelInventory(networks, endpoints, namespaces, Set.of(), attached);
  }

  /**
   * Bridges and host veth ends. Without the table (flushed behind HNS's back) the tagged ones are
   * left out, so reconcile rebuilds every network and endpoint, table elements included.
   */
  private static void scanLinks(
      Host host,
      boolean tableGone,
      Set<String> networks,
      Set<String> endpoints,
      Set<String> attached) {
    Map<String, String> aliases = host.rt().links().aliases();
    for (Link l : host.rt().links().list()) {
      String alias = aliases.get(l.name());
      boolean tagged = alias != null && alias.startsWith("silo:");
      if (tableGone && tagged) {
        continue;
      }
      if (l.name().startsWith(Names.BRIDGE_PREFIX)) {
        networks.add(idOr(l.name(), alias, Names.NETWORK_ALIAS));
      } else if (l.name().startsWith(Names.VXLAN_PREFIX)) {
        // an overlay vxlan is part of its bridge's network; alone it is a stray
        String bridge = Names.BRIDGE_PREFIX + l.name().substring(Names.VXLAN_PREFIX.length());
        if (host.link(bridge).isEmpty()) {
          networks.add(l.name());
        }
      } else if (l.name().startsWith(Names.VETH_PREFIX)) {
        String id = l.master() == 0 ? l.name() : idOr(l.name(), alias, Names.ENDPOINT_ALIAS);
        endpoints.add(id);
        if (!id.equals(l.name())) {
          attached.add(id);
        }
      }
    }
  }

  private static String idOr(String name, @Nullable String alias, String aliasPrefix) {
    return alias != null && alias.startsWith(aliasPrefix)
        ? alias.substring(aliasPrefix.length())
        : name;
  }

  /** The link of an inventory id: the id itself when it is a (stray) link name. */
  static String linkOf(Host host, String id, String prefix) {
    if (id.startsWith(prefix) && id.length() <= 15 && host.link(id).isPresent()) {
      return id;
    }
    return prefix.equals(Names.BRIDGE_PREFIX) ? Names.bridge(id) : Names.hostVeth(id);
  }

  /** The IPv4 subnet of the bridge's gateway address, or null when it has none. */
  static @Nullable String bridgeSubnet(Host host, String bridge) {
    if (host.link(bridge).isEmpty()) {
      return null;
    }
    for (IfAddress a : host.rt().addresses().list(bridge)) {
      if (a.prefix().isIpv4()) {
        try {
          return Addressing.normalize(a.prefix()).toString();
        } catch (DataplaneException e) {
          return null;
        }
      }
    }
    return null;
  }
}
