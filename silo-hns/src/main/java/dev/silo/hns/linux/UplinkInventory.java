package dev.silo.hns.linux;

import dev.silo.linux.net.Link;
import dev.silo.linux.net.NetNs;
import dev.silo.linux.net.Rtnetlink;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What inventory and orphan removal see of the {@link UplinkDriver} networks: the network ports
 * ({@code silom*}) in the host netns and the endpoints' macvlan links, tagged with their ids, in
 * the netns of this host's scope (they never exist in the host netns).
 */
final class UplinkInventory {
  private UplinkInventory() {}

  /** Adds the uplink networks' ports and endpoints to the inventory sets. */
  static void scan(Host host, String scope, Set<String> networks, Set<String> endpoints) {
    Map<String, String> aliases = host.rt().links().aliases();
    for (Link l : host.rt().links().list()) {
      if (l.name().startsWith(Names.UPLINK_PORT_PREFIX)) {
        String alias = aliases.get(l.name());
        networks.add(
            alias != null && alias.startsWith(Names.NETWORK_ALIAS)
                ? alias.substring(Names.NETWORK_ALIAS.length())
                : l.name()); // untagged: a stray, reconcile removes it
      }
    }
    for (String name : NetNs.list()) {
      if (Names.namespaceIdOf(scope, name) != null) {
        endpoints.addAll(endpointsIn(NetNs.ofPath(NetNs.RUN_DIR.resolve(name))));
      }
    }
  }

  private static Set<String> endpointsIn(NetNs ns) {
    try (Rtnetlink in = Rtnetlink.open(ns)) {
      Map<String, String> aliases = in.links().aliases();
      Set<String> ids = new java.util.HashSet<>();
      for (Link l : in.links().list()) {
        String alias = aliases.get(l.name());
        if ("macvlan".equals(l.kind()) && alias != null && alias.startsWith(Names.ENDPOINT_ALIAS)) {
          ids.add(alias.substring(Names.ENDPOINT_ALIAS.length()));
        }
      }
      return ids;
    }
  }

  /** Removes the port of orphan network {@code id}; false when no such port exists. */
  static boolean removeNetwork(Host host, String id) {
    String port =
        id.startsWith(Names.UPLINK_PORT_PREFIX) && id.length() <= 15
            ? id
            : portOf(host, id.toLowerCase(Locale.ROOT));
    if (port == null || host.link(port).isEmpty()) {
      return false;
    }
    host.deleteLinkIfPresent(port);
    return true;
  }

  private static @org.jspecify.annotations.Nullable String portOf(Host host, String id) {
    for (Map.Entry<String, String> e : host.rt().links().aliases().entrySet()) {
      if (e.getKey().startsWith(Names.UPLINK_PORT_PREFIX)
          && e.getValue().equals(Names.NETWORK_ALIAS + id)) {
        return e.getKey();
      }
    }
    return null;
  }

  /** Removes orphan endpoint {@code id}'s link from this scope's netns; false when none had it. */
  static boolean removeEndpoint(String scope, String id) {
    boolean found = false;
    for (String name : NetNs.list()) {
      if (Names.namespaceIdOf(scope, name) != null) {
        found |= UplinkDriver.deleteIn(NetNs.ofPath(NetNs.RUN_DIR.resolve(name)), id);
      }
    }
    return found;
  }
}
