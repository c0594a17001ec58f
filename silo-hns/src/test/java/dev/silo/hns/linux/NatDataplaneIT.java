package dev.silo.hns.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.silo.api.HnsException;
import dev.silo.linux.net.IfAddress;
import dev.silo.linux.net.NetNs;
import dev.silo.linux.net.Nftables;
import dev.silo.linux.net.Rtnetlink;
import dev.silo.schema.hcn.EndpointPolicy;
import dev.silo.schema.hcn.HostComputeEndpoint;
import dev.silo.schema.hcn.HostComputeNamespace;
import dev.silo.schema.hcn.HostComputeNetwork;
import dev.silo.schema.hcn.NetworkType;
import dev.silo.schema.hcn.PortMappingPolicySetting;
import dev.silo.schema.hcn.Subnet;
import java.net.ServerSocket;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The nat driver end to end on real namespaces, bridges, veths and nftables (run as root). */
class NatDataplaneIT extends LabTest {
  static final String GATEWAY = "172.31.77.1";

  static HostComputeNetwork natNetwork() {
    return HostComputeNetwork.of("nat1", NetworkType.NAT, Subnet.of("172.31.77.0/24", GATEWAY));
  }

  static HostComputeEndpoint endpoint(String name, HostComputeNetwork n, int... ports) {
    HostComputeEndpoint ep = HostComputeEndpoint.of(name, Objects.requireNonNull(n.id()));
    List<EndpointPolicy> maps =
        java.util.Arrays.stream(ports)
            .mapToObj(p -> EndpointPolicy.of(new PortMappingPolicySetting(6, 80, p, null, null)))
            .toList();
    return ep.withPolicies(maps);
  }

  static String ip(HostComputeEndpoint ep) {
    return Objects.requireNonNull(ep.ipConfigurations().get(0).ipAddress());
  }

  static String id(Object o) {
    return switch (o) {
      case HostComputeEndpoint e -> Objects.requireNonNull(e.id());
      case HostComputeNetwork n -> Objects.requireNonNull(n.id());
      case HostComputeNamespace s -> Objects.requireNonNull(s.id());
      default -> throw new IllegalArgumentException();
    };
  }

  NetNs netns(HostComputeNamespace ns) {
    assertThat(lab.dp.netnsPath(id(ns))).exists();
    return NetNs.ofPath(lab.dp.netnsPath(id(ns)));
  }

  /** Network + two endpoints in two namespaces; ep1 maps tcp 18080 to its port 80. */
  record Setup(
      HostComputeNetwork net,
      HostComputeEndpoint ep1,
      HostComputeEndpoint ep2,
      HostComputeNamespace ns1,
      HostComputeNamespace ns2) {}

  Setup build() throws HnsException {
    HostComputeNetwork net = hns.createNetwork(natNetwork());
    HostComputeEndpoint ep1 = hns.createEndpoint(endpoint("ep1", net, 18080));
    HostComputeEndpoint ep2 = hns.createEndpoint(endpoint("ep2", net));
    HostComputeNamespace ns1 = hns.createNamespace(HostComputeNamespace.host());
    HostComputeNamespace ns2 = hns.createNamespace(HostComputeNamespace.host());
    hns.addNamespaceEndpoint(id(ns1), id(ep1));
    hns.addNamespaceEndpoint(id(ns2), id(ep2));
    return new Setup(net, ep1, ep2, ns1, ns2);
  }

  @Test
  void endpointsGetTheirAddressesAndTalkToEachOtherAndTheGateway() throws Exception {
    Setup s = build();
    try (Rtnetlink in = Rtnetlink.open(netns(s.ns1()))) {
      assertThat(in.addresses().list("eth0"))
          .extracting(IfAddress::prefix)
          .extracting(Object::toString)
          .contains(ip(s.ep1()) + "/24");
      assertThat(String.valueOf(in.links().get("eth0").mac()).replace(':', '-'))
          .isEqualToIgnoringCase(s.ep1().macAddress());
    }
    try (ServerSocket a = Lab.serve(netns(s.ns1()), "0.0.0.0", 80);
        ServerSocket gw = Lab.serve(lab.host, GATEWAY, 9000)) {
      assertThat(Lab.call(netns(s.ns2()), ip(s.ep1()), 80)).isEqualTo("peer=" + ip(s.ep2()));
      assertThat(Lab.call(netns(s.ns2()), GATEWAY, 9000)).isEqualTo("peer=" + ip(s.ep2()));
    }
  }

  @Test
  void aSecondEndpointOnAnotherNetworkIsASecondInterfaceWithItsOwnDefaultRoute() throws Exception {
    HostComputeNetwork n1 = hns.createNetwork(natNetwork());
    HostComputeNetwork n2 =
        hns.createNetwork(
            HostComputeNetwork.of(
                "nat2", NetworkType.NAT, Subnet.of("172.31.78.0/24", "172.31.78.1")));
    HostComputeEndpoint ep1 = hns.createEndpoint(endpoint("ep1", n1));
    HostComputeEndpoint ep2 = hns.createEndpoint(endpoint("ep2", n2));
    HostComputeNamespace ns = hns.createNamespace(HostComputeNamespace.host());
    hns.addNamespaceEndpoint(id(ns), id(ep1));
    hns.addNamespaceEndpoint(id(ns), id(ep2));
    try (Rtnetlink in = Rtnetlink.open(netns(ns))) {
      assertThat(in.addresses().list("eth1"))
          .extracting(a -> a.prefix().toString())
          .contains(ip(hns.getEndpointById(id(ep2))) + "/24");
      assertThat(in.routes().list(dev.silo.linux.net.Route.MAIN))
          .filteredOn(r -> r.dst().length() == 0)
          .extracting(r -> r.device() + " " + r.metric())
          .containsExactlyInAnyOrder("eth0 0", "eth1 1");
    }
    hns.removeNamespaceEndpoint(id(ns), id(ep2));
    try (Rtnetlink in = Rtnetlink.open(netns(ns))) {
      assertThat(in.links().list()).extracting(l -> l.name()).doesNotContain("eth1");
    }
  }

  @Test
  void portMappingReachesTheEndpointFromOutsideFromTheHostAndFromLoopback() throws Exception {
    Setup s = build();
    try (ServerSocket a = Lab.serve(netns(s.ns1()), "0.0.0.0", 80)) {
      // prerouting DNAT: a connection from another machine to the host's uplink address
      assertThat(Lab.call(lab.ext, Lab.UPLINK_HOST, 18080)).isEqualTo("peer=" + Lab.UPLINK_EXT);
      // output DNAT: the host's own process to its own address
      assertThat(Lab.call(lab.host, Lab.UPLINK_HOST, 18080)).startsWith("peer=");
      // loopback: 127.0.0.1 leaves through the bridge masqueraded to the gateway address
      assertThat(Lab.call(lab.host, "127.0.0.1", 18080)).isEqualTo("peer=" + GATEWAY);
    }
    assertThatThrownBy(() -> Lab.call(lab.ext, Lab.UPLINK_HOST, 18081))
        .isInstanceOf(java.io.IOException.class);
  }

  @Test
  void outboundTrafficIsMasqueradedToTheUplinkAddress() throws Exception {
    Setup s = build();
    try (ServerSocket outside = Lab.serve(lab.ext, Lab.UPLINK_EXT, 9100)) {
      assertThat(Lab.call(netns(s.ns1()), Lab.UPLINK_EXT, 9100))
          .isEqualTo("peer=" + Lab.UPLINK_HOST);
    }
  }

  @Test
  void theNatTableGoesWithTheLastNatNetworkThoughOtherNetworksRemain() throws Exception {
    HostComputeNetwork nat =
        hns.createNetwork(
            HostComputeNetwork.of(
                "nat1", NetworkType.NAT, Subnet.of("172.31.9.0/24", "172.31.9.1")));
    HostComputeNetwork l2 = hns.createNetwork(L2Lab.network(NetworkType.TRANSPARENT, "uplink0"));
    assertThat(lab.siloTableExists()).isTrue();

    hns.deleteNetwork(id(nat));

    // the transparent network's link carries a network alias too: it must not keep the table
    assertThat(lab.siloTableExists()).isFalse();
    assertThat(hns.listNetworks(null)).extracting(HostComputeNetwork::id).containsExactly(l2.id());
    hns.deleteNetwork(id(l2));
    assertThat(lab.siloLinks()).isEmpty();
  }

  @Test
  void deletingEverythingLeavesNoKernelObjectAndNoRow() throws Exception {
    assertThat(lab.siloLinks()).isEmpty();
    Setup s = build();
    assertThat(lab.siloLinks()).hasSize(3);
    assertThat(lab.hnsNetns()).hasSize(2);
    assertThat(lab.siloTableExists()).isTrue();
    hns.deleteEndpoint(id(s.ep1()));
    assertThat(lab.siloLinks()).hasSize(2);
    assertThat(portMapJson()).doesNotContain("18080");
    hns.deleteEndpoint(id(s.ep2()));
    hns.deleteNamespace(id(s.ns1()));
    hns.deleteNamespace(id(s.ns2()));
    hns.deleteNetwork(id(s.net()));
    assertThat(lab.siloLinks()).isEmpty();
    assertThat(lab.hnsNetns()).isEmpty();
    assertThat(lab.siloTableExists()).isFalse();
    assertThat(hns.listNetworks(null)).isEmpty();
    assertThat(hns.listEndpoints(null)).isEmpty();
    assertThat(hns.listNamespaces(null)).isEmpty();
  }

  @Test
  void attachToANamespaceWhoseNetnsVanishedRollsBack() throws Exception {
    HostComputeNetwork net = hns.createNetwork(natNetwork());
    HostComputeEndpoint ep = hns.createEndpoint(endpoint("ep1", net, 18080));
    HostComputeNamespace ns = hns.createNamespace(HostComputeNamespace.host());
    NetNs.delete(lab.dp.netnsName(id(ns)));
    assertThatThrownBy(() -> hns.addNamespaceEndpoint(id(ns), id(ep)))
        .isInstanceOf(HnsException.class)
        .hasMessageContaining("gone");
    assertThat(hns.getEndpointById(id(ep)).hostComputeNamespace()).isNull();
    assertThat(hns.getNamespaceById(id(ns)).endpointIds()).isEmpty();
    assertThat(lab.siloLinks()).containsExactly(LinuxDataplane.bridgeName(id(net)));
  }

  @Test
  void aNetworkWhoseNftStepFailsLeavesNoBridgeAndNoRow() throws Exception {
    try (Nftables nft = Nftables.open(lab.host)) {
      // an overlapping subnet already in the set: the network's element add is refused
      nft.apply(NatTable.ensure() + NatTable.addSubnet("172.31.0.0/16"));
    }
    assertThatThrownBy(() -> hns.createNetwork(natNetwork())).isInstanceOf(HnsException.class);
    assertThat(hns.listNetworks(null)).isEmpty();
    assertThat(lab.siloLinks()).isEmpty();
  }

  @Test
  void reconcileRepairsDeletedLinksAndRemovesStrays() throws Exception {
    Setup s = build();
    try (Rtnetlink h = Rtnetlink.open(lab.host)) {
      h.links().delete(LinuxDataplane.bridgeName(id(s.net())));
      h.links().delete(LinuxDataplane.hostVethName(id(s.ep2())));
      h.links().addBridge("silob0000000000");
    }
    String strayNs = lab.dp.netnsName(UUID.randomUUID().toString());
    NetNs.create(strayNs);
    try (Nftables nft = Nftables.open(lab.host)) {
      // what a crash between the kernel change and the store commit leaves: an unowned mapping
      nft.apply(
          "add element ip silo ports { tcp . 19999 comment \"ep:"
              + UUID.randomUUID()
              + "\" : 172.31.77.50 . 80 }");
    }
    var report = hns.reconcile();
    assertThat(report.failed()).isEmpty();
    assertThat(lab.siloLinks())
        .containsExactlyInAnyOrder(
            LinuxDataplane.bridgeName(id(s.net())),
            LinuxDataplane.hostVethName(id(s.ep1())),
            LinuxDataplane.hostVethName(id(s.ep2())));
    assertThat(NetNs.exists(strayNs)).isFalse();
    assertThat(portMapJson()).doesNotContain("19999").contains("18080");
    try (ServerSocket a = Lab.serve(netns(s.ns1()), "0.0.0.0", 80)) {
      assertThat(Lab.call(netns(s.ns2()), ip(s.ep1()), 80)).isEqualTo("peer=" + ip(s.ep2()));
      assertThat(Lab.call(lab.ext, Lab.UPLINK_HOST, 18080)).isEqualTo("peer=" + Lab.UPLINK_EXT);
    }
  }

  @Test
  void reconcileRebuildsAFlushedTable() throws Exception {
    Setup s = build();
    try (Nftables nft = Nftables.open(lab.host)) {
      nft.apply("delete table ip silo");
    }
    assertThat(hns.reconcile().failed()).isEmpty();
    assertThat(portMapJson()).contains("18080").contains("172.31.77.0");
    try (ServerSocket a = Lab.serve(netns(s.ns1()), "0.0.0.0", 80)) {
      assertThat(Lab.call(lab.ext, Lab.UPLINK_HOST, 18080)).isEqualTo("peer=" + Lab.UPLINK_EXT);
      assertThat(Lab.call(netns(s.ns2()), ip(s.ep1()), 80)).isEqualTo("peer=" + ip(s.ep2()));
    }
  }

  private String portMapJson() {
    try (Nftables nft = Nftables.open(lab.host)) {
      return nft.listTableJson("ip", "silo");
    }
  }
}
