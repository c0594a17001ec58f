package dev.silo.hns.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.silo.api.HResult;
import dev.silo.api.HnsException;
import dev.silo.schema.hcn.HostComputeEndpoint;
import dev.silo.schema.hcn.HostComputeNamespace;
import dev.silo.schema.hcn.HostComputeNetwork;
import dev.silo.schema.hcn.ModificationRequest;
import dev.silo.schema.hcn.ModifyRequestType;
import dev.silo.schema.hcn.NetworkType;
import dev.silo.schema.hcn.Subnet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Bad input against the real Linux dataplane: each call fails with its HCN code and one line naming
 * what is wrong, and the HNS host's links, addresses, routes, nft ruleset, netns and the store are
 * exactly as before the call.
 */
class BadInputIT extends LabTest {
  HostComputeNetwork net;
  HostComputeEndpoint mapped;

  @BeforeEach
  void aNetworkWithAnAttachedMappedEndpoint() throws Exception {
    net = hns.createNetwork(NatDataplaneIT.natNetwork());
    mapped = hns.createEndpoint(NatDataplaneIT.endpoint("web", net, 18080));
    HostComputeNamespace ns = hns.createNamespace(HostComputeNamespace.host());
    hns.addNamespaceEndpoint(NatDataplaneIT.id(ns), NatDataplaneIT.id(mapped));
  }

  /** Everything a failed call could leave behind, kernel and store. */
  private String state() throws Exception {
    String host = lab.hostName;
    return L2Lab.run("ip", "-n", host, "-o", "link").replaceAll(" state [A-Z]+ ", " ")
        // no -d (bridge timers tick) and no operstate (a new bridge goes from UNKNOWN to UP)
        + L2Lab.run("ip", "-n", host, "-4", "-o", "addr")
        + L2Lab.run("ip", "-n", host, "-4", "route", "show", "table", "all")
        + L2Lab.run("ip", "netns", "exec", host, "nft", "list", "ruleset")
        + lab.hnsNetns()
        + hns.listNetworks(null)
        + hns.listEndpoints(null)
        + hns.listNamespaces(null)
        + hns.listLoadBalancers(null);
  }

  private void assertFailsCleanly(ThrowingCallable call, HResult code, String text)
      throws Exception {
    String before = state();
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(HnsException.class, e -> assertThat(e.hresult()).isEqualTo(code))
        .hasMessageContaining(text)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    assertThat(state()).isEqualTo(before);
  }

  @Test
  void invalidCidr() throws Exception {
    assertFailsCleanly(
        () ->
            hns.createNetwork(
                HostComputeNetwork.of(
                    "bad", NetworkType.NAT, Subnet.of("10.9.0.300/24", "10.9.0.1"))),
        HResult.HCN_E_INVALID_PREFIX,
        "10.9.0.300");
  }

  @Test
  void overlappingSubnets() throws Exception {
    assertFailsCleanly(
        () ->
            hns.createNetwork(
                HostComputeNetwork.of(
                    "over", NetworkType.NAT, Subnet.of("172.31.0.0/16", "172.31.0.1"))),
        HResult.HCN_E_INVALID_SUBNET,
        "overlaps");
  }

  @Test
  void gatewayOutsideTheSubnet() throws Exception {
    assertFailsCleanly(
        () ->
            hns.createNetwork(
                HostComputeNetwork.of("gw", NetworkType.NAT, Subnet.of("10.9.0.0/24", "10.9.1.1"))),
        HResult.HCN_E_INVALID_SUBNET,
        "outside subnet");
  }

  @Test
  void unknownNetwork() throws Exception {
    String missing = UUID.randomUUID().toString();
    assertFailsCleanly(
        () -> hns.createEndpoint(HostComputeEndpoint.of("lost", missing)),
        HResult.HCN_E_NETWORK_NOT_FOUND,
        missing);
  }

  @Test
  void duplicateName() throws Exception {
    assertFailsCleanly(
        () -> hns.createNetwork(NatDataplaneIT.natNetwork()),
        HResult.HCN_E_NETWORK_ALREADY_EXISTS,
        "nat1");
  }

  @Test
  void portAlreadyMapped() throws Exception {
    assertFailsCleanly(
        () -> hns.createEndpoint(NatDataplaneIT.endpoint("clash", net, 18080)),
        HResult.HCN_E_PORT_ALREADY_EXISTS,
        "18080");
  }

  @Test
  void policyWithSettingsOfAnotherType() throws Exception {
    Map<String, Object> bad =
        Map.of("Type", "PortMapping", "Settings", Map.of("MaximumOutgoingBandwidthInBytes", 5));
    assertFailsCleanly(
        () ->
            hns.modifyEndpoint(
                NatDataplaneIT.id(mapped),
                new ModificationRequest(
                    "Policy", ModifyRequestType.ADD, Map.of("Policies", List.of(bad)))),
        HResult.HCN_E_INVALID_POLICY,
        "MaximumOutgoingBandwidthInBytes");
  }
}
