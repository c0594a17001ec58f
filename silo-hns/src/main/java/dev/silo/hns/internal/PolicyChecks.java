package dev.silo.hns.internal;

import dev.silo.api.HResult;
import dev.silo.api.HnsException;
import dev.silo.hns.spi.PolicySyntax;
import dev.silo.schema.hcn.AclPolicySetting;
import dev.silo.schema.hcn.HostComputeEndpoint;
import dev.silo.schema.hcn.HostComputeNetwork;
import dev.silo.schema.hcn.QosPolicySetting;
import dev.silo.schema.hcn.SdnRoutePolicySetting;
import java.util.Set;

/**
 * Validates ACL, QOS and SDNRoute endpoint policies and SetPolicy network policies before anything
 * is written: a bad value fails the call with {@code HCN_E_INVALID_POLICY} and one line naming the
 * field, and the transaction leaves neither a row nor a kernel object.
 */
final class PolicyChecks {
  private PolicyChecks() {}

  /** Checks the endpoint's policies against its network (ACLs may name the network's sets). */
  static void endpoint(String op, String id, HostComputeNetwork net, HostComputeEndpoint ep)
      throws HnsException {
    try {
      Set<String> sets = PolicySyntax.setIds(net);
      for (AclPolicySetting acl : ep.policySettings(AclPolicySetting.class)) {
        PolicySyntax.checkAcl(acl, sets);
      }
      for (QosPolicySetting q : ep.policySettings(QosPolicySetting.class)) {
        if (q.maximumOutgoingBandwidthInBytes() < 0) {
          throw new IllegalArgumentException(
              "QOS MaximumOutgoingBandwidthInBytes "
                  + q.maximumOutgoingBandwidthInBytes()
                  + ": negative");
        }
      }
      for (SdnRoutePolicySetting r : ep.policySettings(SdnRoutePolicySetting.class)) {
        if (r.destinationPrefix() == null || r.destinationPrefix().isBlank()) {
          throw new IllegalArgumentException("SDNRoute DestinationPrefix is missing");
        }
        PolicySyntax.prefix("SDNRoute DestinationPrefix", r.destinationPrefix());
        if (r.nextHop() != null
            && !r.nextHop().isBlank()
            && PolicySyntax.prefix("SDNRoute NextHop", r.nextHop()).contains("/")) {
          throw new IllegalArgumentException("SDNRoute NextHop '" + r.nextHop() + "': a prefix");
        }
      }
    } catch (IllegalArgumentException e) {
      throw HnsException.of(op, id, HResult.HCN_E_INVALID_POLICY, String.valueOf(e.getMessage()));
    }
  }

  /** Checks the network's SetPolicy sets (ids, types, members, nesting). */
  static void network(String op, String id, HostComputeNetwork n) throws HnsException {
    try {
      PolicySyntax.flatten(n);
    } catch (IllegalArgumentException e) {
      throw HnsException.of(op, id, HResult.HCN_E_INVALID_POLICY, String.valueOf(e.getMessage()));
    }
  }
}
