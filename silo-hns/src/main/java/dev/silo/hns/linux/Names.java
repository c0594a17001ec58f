package dev.silo.hns.linux;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The deterministic kernel names of HCN objects, so inventory and reconcile find them again.
 *
 * <p>Link names hold at most 15 bytes, too few for a GUID, so a link is named by a 10-hex-digit
 * prefix of its id and carries the full id in its alias ({@code silo:network:ID}); a link with the
 * Silo name prefix but no such alias is a stray and is reported under its link name.
 */
final class Names {
  static final String BRIDGE_PREFIX = "silob";
  static final String VETH_PREFIX = "silov";
  static final String UPLINK_PORT_PREFIX = "silom";
  static final String VXLAN_PREFIX = "silox";
  static final String NETWORK_ALIAS = "silo:network:";
  static final String ENDPOINT_ALIAS = "silo:endpoint:";

  private Names() {}

  /** The nat network's bridge, e.g. {@code silob3f2504e04f}. */
  static String bridge(String networkId) {
    return BRIDGE_PREFIX + hex10(networkId);
  }

  /** The overlay network's vxlan device (a port of its bridge), e.g. {@code silox3f2504e04f}. */
  static String vxlan(String networkId) {
    return VXLAN_PREFIX + hex10(networkId);
  }

  /** The host end of the endpoint's veth pair, e.g. {@code silov0a1b2c3d4e}. */
  static String hostVeth(String endpointId) {
    return VETH_PREFIX + hex10(endpointId);
  }

  /** The network port (macvlan) of a transparent/l2bridge/l2tunnel network on its uplink. */
  static String uplinkPort(String networkId) {
    return UPLINK_PORT_PREFIX + hex10(networkId);
  }

  /**
   * The named netns of an HCN namespace: {@code SCOPE-ID}, where SCOPE is {@code silo} for the
   * process's own host namespace or the host netns name, so two HNS hosts on one machine never
   * reconcile away each other's namespaces.
   */
  static String netns(String scope, String namespaceId) {
    return scope + "-" + namespaceId.toLowerCase(Locale.ROOT);
  }

  /** The scope of netns names for a host netns (null: the process's own). */
  static String scope(@Nullable String hostNetns) {
    return hostNetns == null ? "silo" : hostNetns;
  }

  /** The HCN id in a netns name of this scope, or null when the name is not one. */
  static @Nullable String namespaceIdOf(String scope, String netnsName) {
    String prefix = scope + "-";
    if (!netnsName.startsWith(prefix)) {
      return null;
    }
    String id = netnsName.substring(prefix.length());
    return id.matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}") ? id : null;
  }

  private static String hex10(String id) {
    String hex = id.toLowerCase(Locale.ROOT).replaceAll("[^0-9a-f]", "");
    if (hex.length() < 10) {
      throw new IllegalArgumentException("HCN id '" + id + "': fewer than 10 hex digits");
    }
    return hex.substring(0, 10);
  }
}
