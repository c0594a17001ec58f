package dev.silo.hns.spi;

import dev.silo.schema.hcn.HostComputeEndpoint;
import dev.silo.schema.hcn.HostComputeNetwork;
import dev.silo.schema.hcn.NetworkType;

/**
 * The per-driver half of a {@link Dataplane} (nat = bridge + masquerade, l2bridge = ipvlan, overlay
 * = vxlan…): the network- and endpoint-shaped steps that differ by {@link NetworkType}.
 */
public interface NetworkDriver {

  /** The network type this driver programs. */
  NetworkType type();

  /** Whether the host can run this driver, and if not {@link #unavailabilityCause()} says why. */
  boolean isApplicable();

  /** Why the driver is not applicable, empty when it is. */
  String unavailabilityCause();

  Undo createNetwork(HostComputeNetwork network) throws DataplaneException;

  Undo deleteNetwork(HostComputeNetwork network) throws DataplaneException;

  Undo createEndpoint(HostComputeNetwork network, HostComputeEndpoint endpoint)
      throws DataplaneException;

  Undo deleteEndpoint(HostComputeNetwork network, HostComputeEndpoint endpoint)
      throws DataplaneException;
}
