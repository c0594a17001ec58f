package dev.silo.hns.linux;

import dev.silo.linux.net.MacvlanMode;
import dev.silo.schema.hcn.NetworkType;

/**
 * The l2tunnel driver: like l2bridge, but every packet, even between two containers of this host,
 * is hair-pinned through the uplink to the external switch (where Windows applies SDN policy):
 * macvlan VEPA children of the uplink, which the kernel never switches locally, so two endpoints
 * talk only if the external side reflects their frames (a bridge port with hairpin on).
 */
final class L2TunnelDriver extends UplinkDriver {
  L2TunnelDriver(Host host, String scope) {
    super(host, scope);
  }

  @Override
  public NetworkType type() {
    return NetworkType.L2TUNNEL;
  }

  @Override
  MacvlanMode mode() {
    return MacvlanMode.VEPA;
  }
}
