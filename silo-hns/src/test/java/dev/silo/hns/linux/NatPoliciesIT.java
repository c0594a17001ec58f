package dev.silo.hns.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.silo.hns.spi.DataplaneException;
import dev.silo.linux.net.IpPrefix;
import dev.silo.linux.net.NetNs;
import dev.silo.linux.net.Nftables;
import dev.silo.linux.net.Route;
import dev.silo.linux.net.Rtnetlink;
import dev.silo.schema.hcn.EndpointPolicy;
import dev.silo.schema.hcn.HostComputeEndpoint;
import dev.silo.schema.hcn.HostComputeNamespace;
import dev.silo.schema.hcn.HostComputeNetwork;
import dev.silo.schema.hcn.ModificationRequest;
import dev.silo.schema.hcn.ModifyRequestType;
import dev.silo.schema.hcn.OutboundNatPolicySetting;
import dev.silo.schema.hcn.PortMappingPolicySetting;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Endpoint policy changes on the nat driver: OutBoundNAT exceptions and modified port maps. */
class NatPoliciesIT extends LabTest {

  private NetNs attached(HostComputeEndpoint ep) throws Exception {
    HostComputeNamespace ns = hns.createNamespace(HostComputeNamespace.host());
    hns.addNamespaceEndpoint(NatDataplaneIT.id(ns), NatDataplaneIT.id(ep));
    return NetNs.open(lab.dp.netnsName(NatDataplaneIT.id(ns)));
  }

  @Test
  void outboundNatExceptionsAreNotMasqueraded() throws Exception {
    try (Rtnetlink e = Rtnetlink.open(lab.ext)) {
      // the outside knows the nat subnet, so an unmasqueraded source can be answered
      e.routes()
          .add(
              Route.via(
                  IpPrefix.parse("172.31.77.0/24"), InetAddress.ofLiteral(Lab.UPLINK_HOST), null));
    }
    HostComputeNetwork net = hns.createNetwork(NatDataplaneIT.natNetwork());
    OutboundNatPolicySetting except =
        new OutboundNatPolicySetting(null, List.of("10.250.0.0/24"), List.of(), null, null);
    HostComputeEndpoint direct =
        hns.createEndpoint(
            HostComputeEndpoint.of("direct", NatDataplaneIT.id(net))
                .withPolicies(List.of(EndpointPolicy.of(except))));
    HostComputeEndpoint masked = hns.createEndpoint(NatDataplaneIT.endpoint("masked", net));
    NetNs directNs = attached(direct);
    NetNs maskedNs = attached(masked);
    try (ServerSocket outside = Lab.serve(lab.ext, Lab.UPLINK_EXT, 9100)) {
      assertThat(Lab.call(directNs, Lab.UPLINK_EXT, 9100))
          .isEqualTo("peer=" + NatDataplaneIT.ip(direct));
      assertThat(Lab.call(maskedNs, Lab.UPLINK_EXT, 9100)).isEqualTo("peer=" + Lab.UPLINK_HOST);
    }
    assertThat(table()).contains("10.250.0.0");
    hns.deleteEndpoint(NatDataplaneIT.id(direct));
    assertThat(table()).doesNotContain("10.250.0.0");
  }

  @Test
  void modifyingPortMappingsAddsAndRemovesOnlyTheChange() throws Exception {
    HostComputeNetwork net = hns.createNetwork(NatDataplaneIT.natNetwork());
    HostComputeEndpoint ep = hns.createEndpoint(NatDataplaneIT.endpoint("ep", net, 18080));
    NetNs ns = attached(ep);
    EndpointPolicy second =
        EndpointPolicy.of(new PortMappingPolicySetting(6, 80, 18081, null, null));
    hns.modifyEndpoint(
        NatDataplaneIT.id(ep),
        new ModificationRequest(
            "Policy", ModifyRequestType.ADD, Map.of("Policies", List.of(second))));
    try (ServerSocket a = Lab.serve(ns, "0.0.0.0", 80)) {
      assertThat(Lab.call(lab.ext, Lab.UPLINK_HOST, 18080)).startsWith("peer=");
      assertThat(Lab.call(lab.ext, Lab.UPLINK_HOST, 18081)).startsWith("peer=");
      hns.modifyEndpoint(
          NatDataplaneIT.id(ep),
          new ModificationRequest(
              "Policy", ModifyRequestType.REMOVE, Map.of("Policies", List.of(second))));
      assertThat(Lab.call(lab.ext, Lab.UPLINK_HOST, 18080)).startsWith("peer=");
      assertThatThrownBy(() -> Lab.call(lab.ext, Lab.UPLINK_HOST, 18081))
          .isInstanceOf(IOException.class);
    }
    assertThat(table()).contains("18080").doesNotContain("18081");
  }

  @Test
  void theDataplaneItselfRefusesASecondEndpointOnATakenPort() throws Exception {
    HostComputeNetwork net = hns.createNetwork(NatDataplaneIT.natNetwork());
    HostComputeEndpoint first = hns.createEndpoint(NatDataplaneIT.endpoint("first", net, 18080));
    HostComputeEndpoint other = hns.createEndpoint(NatDataplaneIT.endpoint("other", net));
    HostComputeEndpoint clash =
        other.withPolicies(
            List.of(EndpointPolicy.of(new PortMappingPolicySetting(6, 80, 18080, null, null))));
    // bypasses the service's HCN_E_PORT_ALREADY_EXISTS check: the kernel map must refuse too
    assertThatThrownBy(() -> lab.dp.applyEndpointPolicies(net, other, clash))
        .isInstanceOf(DataplaneException.class);
    NetNs ns = attached(first);
    try (ServerSocket a = Lab.serve(ns, "0.0.0.0", 80)) {
      assertThat(Lab.call(lab.ext, Lab.UPLINK_HOST, 18080)).startsWith("peer=");
    }
    assertThat(table()).contains(NatDataplaneIT.ip(first)).doesNotContain(NatDataplaneIT.ip(other));
  }

  private String table() {
    try (Nftables nft = Nftables.open(lab.host)) {
      return nft.listTableJson("ip", "silo");
    }
  }
}
