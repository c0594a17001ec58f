package dev.silo.hns.linux;

import static dev.silo.hns.linux.L2Lab.EP1_IP;
import static dev.silo.hns.linux.L2Lab.EP2_IP;
import static dev.silo.hns.linux.NatDataplaneIT.id;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.silo.api.HResult;
import dev.silo.api.HnsException;
import dev.silo.linux.net.IfAddress;
import dev.silo.linux.net.MacvlanMode;
import dev.silo.linux.net.NetNs;
import dev.silo.linux.net.Rtnetlink;
import dev.silo.schema.hcn.HostComputeNetwork;
import dev.silo.schema.hcn.NetworkType;
import java.net.ServerSocket;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The transparent driver end to end: macvlan bridge children of the lab's uplink veth. */
class TransparentDriverIT extends LabTest {

  @Test
  void endpointsHaveTheirAddressAndMacAndTalkToEachOtherAndOutside() throws Exception {
    L2Lab.Setup s = L2Lab.build(hns, NetworkType.TRANSPARENT);
    NetNs ns1 = L2Lab.netns(lab, s.ns1());
    NetNs ns2 = L2Lab.netns(lab, s.ns2());
    try (Rtnetlink in = Rtnetlink.open(ns1)) {
      assertThat(in.addresses().list("eth0"))
          .extracting(IfAddress::prefix)
          .extracting(Object::toString)
          .contains(EP1_IP + "/24");
      assertThat(in.links().get("eth0").kind()).isEqualTo("macvlan");
      assertThat(String.valueOf(in.links().get("eth0").mac()).replace(':', '-'))
          .isEqualToIgnoringCase(s.ep1().macAddress());
    }
    assertThat(L2Lab.run("ip", "-n", ns1.name(), "-d", "-o", "link", "show", "eth0"))
        .contains("macvlan mode bridge");
    try (ServerSocket a = Lab.serve(ns1, "0.0.0.0", 80);
        ServerSocket out = Lab.serve(lab.ext, Lab.UPLINK_EXT, 9200)) {
      assertThat(L2Lab.callWithin(ns2, EP1_IP, 80, 10)).isEqualTo("peer=" + EP2_IP);
      // no NAT: the outside sees the container's own address, learnt by its own MAC
      assertThat(L2Lab.callWithin(ns1, Lab.UPLINK_EXT, 9200, 10)).isEqualTo("peer=" + EP1_IP);
      assertThat(L2Lab.callWithin(lab.ext, EP1_IP, 80, 10)).isEqualTo("peer=" + Lab.UPLINK_EXT);
    }
    String neigh = L2Lab.run("ip", "-n", lab.ext.name(), "neigh", "show", EP1_IP);
    assertThat(neigh.replace(':', '-')).containsIgnoringCase(s.ep1().macAddress());
    L2Lab.assertHostReachesOutside(lab);
  }

  @Test
  void deleteLeavesTheHostsLinksAddressesAndRoutesAsBefore() throws Exception {
    String before = L2Lab.kernel(lab.host);
    L2Lab.assertHostReachesOutside(lab);
    L2Lab.Setup s = L2Lab.build(hns, NetworkType.TRANSPARENT);
    assertThat(lab.siloLinks()).isEmpty(); // no bridge, no host veth: children of the uplink
    assertThat(L2Lab.run("ip", "-n", lab.hostName, "-o", "link"))
        .contains(Names.uplinkPort(id(s.net())));
    L2Lab.assertHostReachesOutside(lab);
    L2Lab.teardown(hns, s);
    assertThat(L2Lab.kernel(lab.host)).isEqualTo(before);
    assertThat(lab.hnsNetns()).isEmpty();
    L2Lab.assertHostReachesOutside(lab);
  }

  @Test
  void aMissingUplinkAdapterIsAnInvalidNetworkNamingIt() throws Exception {
    assertThatThrownBy(() -> hns.createNetwork(L2Lab.network(NetworkType.TRANSPARENT, "nosuch0")))
        .isInstanceOfSatisfying(
            HnsException.class,
            e -> {
              assertThat(e.hresult()).isEqualTo(HResult.HCN_E_INVALID_NETWORK);
              assertThat(e.getMessage()).contains("uplink adapter nosuch0").doesNotContain("\n");
            });
    assertThat(hns.listNetworks(null)).isEmpty();
  }

  @Test
  void anEndpointOnTheUplinksOwnAddressIsRefused() throws Exception {
    HostComputeNetwork net = hns.createNetwork(L2Lab.network(NetworkType.TRANSPARENT, "uplink0"));
    assertThatThrownBy(() -> hns.createEndpoint(L2Lab.endpoint("clash", net, Lab.UPLINK_HOST)))
        .isInstanceOf(HnsException.class)
        .hasMessageContaining(Lab.UPLINK_HOST + " is uplink0's own");
    assertThat(hns.listEndpoints(null)).isEmpty();
    hns.deleteNetwork(id(net));
  }

  @Test
  void reconcileRecreatesLostLinksAndRemovesOrphans() throws Exception {
    L2Lab.Setup s = L2Lab.build(hns, NetworkType.TRANSPARENT);
    NetNs ns1 = L2Lab.netns(lab, s.ns1());
    NetNs ns2 = L2Lab.netns(lab, s.ns2());
    String port = Names.uplinkPort(id(s.net()));
    String strayEp = UUID.randomUUID().toString();
    try (Rtnetlink h = Rtnetlink.open(lab.host);
        Rtnetlink in1 = Rtnetlink.open(ns1);
        Rtnetlink in2 = Rtnetlink.open(ns2)) {
      h.links().delete(port); // lost network port
      in2.links().delete("eth0"); // lost endpoint link
      h.links().addMacvlan("silom0000000000", "uplink0", MacvlanMode.BRIDGE, null); // untagged
      // a crash after the link was made but before the store commit: tagged, unknown id
      h.links().addMacvlan("eth5", "uplink0", MacvlanMode.BRIDGE, ns1);
      in1.links().setAlias("eth5", Names.ENDPOINT_ALIAS + strayEp);
    }
    var report = hns.reconcile();
    assertThat(report.failed()).isEmpty();
    assertThat(report.orphansRemoved()).hasSize(2);
    try (Rtnetlink h = Rtnetlink.open(lab.host);
        Rtnetlink in1 = Rtnetlink.open(ns1);
        Rtnetlink in2 = Rtnetlink.open(ns2)) {
      assertThat(h.links().find(port)).isPresent();
      assertThat(h.links().find("silom0000000000")).isEmpty();
      assertThat(in1.links().find("eth5")).isEmpty();
      assertThat(UplinkDriver.linkOf(in2, id(s.ep2()))).isEqualTo("eth0");
    }
    try (ServerSocket a = Lab.serve(ns1, "0.0.0.0", 80)) {
      assertThat(L2Lab.callWithin(ns2, EP1_IP, 80, 10)).isEqualTo("peer=" + EP2_IP);
    }
    assertThat(hns.reconcile().orphansRemoved()).isEmpty();
    L2Lab.teardown(hns, s);
  }
}
