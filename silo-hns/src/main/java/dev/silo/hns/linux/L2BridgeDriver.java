package dev.silo.hns.linux;

import dev.silo.linux.net.MacvlanMode;
import dev.silo.schema.hcn.NetworkType;

/**
 * The l2bridge driver: containers on the uplink's own L2 segment with static addresses, their
 * default route via the network's gateway, which is the external router. Windows rewrites the
 * container MAC to the host's (VFP), which Linux does with ipvlan L2; this kernel has no ipvlan, so
 * the endpoints are macvlan bridge-mode children of the uplink and carry their own HNS MACs on the
 * wire (the one visible difference: the external switch learns one MAC per container).
 */
final class L2BridgeDriver extends UplinkDriver {
  L2BridgeDriver(Host host, String scope) {
    super(host, scope);
  }

  @Override
  public NetworkType type() {
    return NetworkType.L2BRIDGE;
  }

  @Override
  MacvlanMode mode() {
    return MacvlanMode.BRIDGE;
  }
}
