package dev.silo.hns.linux;

import dev.silo.linux.net.MacvlanMode;
import dev.silo.schema.hcn.NetworkType;

/**
 * The transparent driver (an external vSwitch on a NIC, container MACs on the wire): macvlan
 * bridge-mode children of the uplink, so containers of the host talk to each other inside the
 * kernel and to the outside with their own MACs, while the uplink keeps the host's address and
 * routes untouched (see {@link UplinkDriver} for why not a bridge enslaving the NIC).
 */
final class TransparentDriver extends UplinkDriver {
  TransparentDriver(Host host, String scope) {
    super(host, scope);
  }

  @Override
  public NetworkType type() {
    return NetworkType.TRANSPARENT;
  }

  @Override
  MacvlanMode mode() {
    return MacvlanMode.BRIDGE;
  }
}
