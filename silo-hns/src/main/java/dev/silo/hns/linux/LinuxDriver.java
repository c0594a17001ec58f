package dev.silo.hns.linux;

import dev.silo.hns.spi.DataplaneException;
import dev.silo.hns.spi.NetworkDriver;
import dev.silo.hns.spi.Undo;
import dev.silo.linux.net.NetNs;
import dev.silo.schema.hcn.HostComputeEndpoint;
import dev.silo.schema.hcn.HostComputeNetwork;
import org.jspecify.annotations.Nullable;

/**
 * A {@link NetworkDriver} of the Linux dataplane: besides the network and endpoint steps it owns
 * how an endpoint enters a namespace (a veth into a bridge, a macvlan on the uplink, …) and the
 * policies that only make sense for its type. {@link LinuxDataplane} dispatches on the network's
 * type.
 */
interface LinuxDriver extends NetworkDriver {

  /** Every driver here uses only links this kernel has (bridge, veth, macvlan, vxlan). */
  @Override
  default String unavailabilityCause() {
    return "";
  }

  @Override
  default boolean isApplicable() {
    return unavailabilityCause().isEmpty();
  }

  /** Moves the endpoint into {@code ns} and configures its addresses, MAC and routes there. */
  Undo attach(NetNs ns, HostComputeNetwork network, HostComputeEndpoint endpoint)
      throws DataplaneException;

  /** Takes the endpoint out of {@code ns} (the namespace matters only for the undo). */
  Undo detach(NetNs ns, HostComputeNetwork network, HostComputeEndpoint endpoint)
      throws DataplaneException;

  /** Why {@code network} cannot be created on this host (e.g. no uplink), or null when it can. */
  default @Nullable String invalidNetwork(HostComputeNetwork network) {
    return null;
  }

  /** Programs the driver's own endpoint policies from {@code before} to {@code after}. */
  default Undo applyEndpointPolicies(
      HostComputeNetwork network, HostComputeEndpoint before, HostComputeEndpoint after)
      throws DataplaneException {
    return Undo.NONE;
  }

  /** Programs the driver's network policies from {@code before} to {@code after}. */
  default Undo applyNetworkPolicies(HostComputeNetwork before, HostComputeNetwork after)
      throws DataplaneException {
    return Undo.NONE;
  }
}
