package dev.silo.hns.internal;

import dev.silo.api.HResult;
import dev.silo.api.HnsException;
import dev.silo.schema.hcn.EndpointPolicy;
import dev.silo.schema.hcn.HostComputeEndpoint;
import dev.silo.schema.hcn.PortMappingPolicySetting;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks endpoint policies and claims the host ports of PortMapping policies: one host port and
 * protocol belongs to one endpoint of the host (Windows once accepted duplicates, moby #35023).
 */
final class Ports {
  static final int TCP = 6;
  static final int UDP = 17;

  private Ports() {}

  /** Validates the policies and claims their host ports for endpoint {@code id}. */
  static void claim(String op, Tx tx, HostComputeEndpoint ep, String id)
      throws HnsException, SQLException {
    for (EndpointPolicy p : ep.policies()) {
      if (p.settings() == null && !"L2Driver".equals(p.type())) {
        throw HnsException.of(
            op,
            id,
            HResult.HCN_E_INVALID_POLICY,
            "endpoint policy " + p.type() + " has no Settings");
      }
    }
    Set<Long> mine = new HashSet<>();
    for (PortMappingPolicySetting pm : ep.policySettings(PortMappingPolicySetting.class)) {
      int protocol = pm.protocol() == null ? TCP : pm.protocol();
      int external = checkMapping(op, id, pm, protocol);
      if (external == 0) {
        continue; // no host port: nothing to claim
      }
      String owner = tx.portOwner(protocol, external);
      if (owner != null || !mine.add(((long) protocol << 16) | external)) {
        throw HnsException.of(
            op,
            id,
            HResult.HCN_E_PORT_ALREADY_EXISTS,
            "host port "
                + external
                + "/"
                + name(protocol)
                + " is already mapped by endpoint "
                + (owner == null ? id : owner));
      }
      tx.claimPort(protocol, external, id);
    }
  }

  /** Checks protocol and ports of one mapping; returns the host (external) port, 0 for none. */
  private static int checkMapping(String op, String id, PortMappingPolicySetting pm, int protocol)
      throws HnsException {
    if (protocol != TCP && protocol != UDP) {
      throw HnsException.of(
          op,
          id,
          HResult.HCN_E_INVALID_POLICY,
          "PortMapping Protocol " + protocol + " is not 6 (TCP) or 17 (UDP)");
    }
    int internal = pm.internalPort() == null ? 0 : pm.internalPort();
    int external = pm.externalPort() == null ? 0 : pm.externalPort();
    if (internal <= 0 || internal > 65535) {
      throw HnsException.of(
          op,
          id,
          HResult.HCN_E_INVALID_INTERNAL_PORT,
          "PortMapping InternalPort " + internal + " is not 1-65535");
    }
    if (external < 0 || external > 65535) {
      throw HnsException.of(
          op,
          id,
          HResult.HCN_E_INVALID_POLICY,
          "PortMapping ExternalPort " + external + " is not 0-65535");
    }
    return external;
  }

  static String name(int protocol) {
    return protocol == UDP ? "udp" : "tcp";
  }

  /** Replaces the claims of an endpoint whose policies change. */
  static void reclaim(String op, Tx tx, HostComputeEndpoint after, String id)
      throws HnsException, SQLException {
    tx.releasePorts(id);
    claim(op, tx, after, id);
  }

  static List<PortMappingPolicySetting> mappings(HostComputeEndpoint ep) {
    return ep.policySettings(PortMappingPolicySetting.class);
  }
}
