package dev.silo.hns.linux;

import static dev.silo.hns.linux.L2Lab.EP1_IP;
import static dev.silo.hns.linux.L2Lab.EP2_IP;
import static dev.silo.hns.linux.NatDataplaneIT.id;
import static org.assertj.core.api.Assertions.assertThat;

import dev.silo.hns.HostNetworkService;
import dev.silo.linux.net.IpPrefix;
import dev.silo.linux.net.NetNs;
import dev.silo.linux.net.Rtnetlink;
import dev.silo.schema.hcn.NetworkType;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The l2bridge driver end to end: containers on the uplink's segment whose gateway is the external
 * router (the lab's external netns), reaching a network behind that router.
 */
class L2BridgeDriverIT {
  /** An address behind the external router, reachable only through the gateway. */
  static final String BEYOND = "10.251.9.1";

  @TempDir Path dir;
  Lab lab;
  HostNetworkService hns;

  @BeforeEach
  void setUp() throws Exception {
    lab = new Lab(dir);
    hns = lab.hns;
    try (Rtnetlink e = Rtnetlink.open(lab.ext)) {
      e.addresses().add("lo", IpPrefix.parse(BEYOND + "/32"));
    }
  }

  @AfterEach
  void tearDown() {
    lab.close();
  }

  @Test
  void endpointsRouteViaTheExternalRouterAndTalkToEachOther() throws Exception {
    L2Lab.Setup s = L2Lab.build(hns, NetworkType.L2BRIDGE);
    NetNs ns1 = L2Lab.netns(lab, s.ns1());
    NetNs ns2 = L2Lab.netns(lab, s.ns2());
    assertThat(L2Lab.run("ip", "-n", ns1.name(), "-o", "-4", "addr", "show", "eth0"))
        .contains(EP1_IP + "/24");
    assertThat(L2Lab.run("ip", "-n", ns1.name(), "route"))
        .contains("default via " + Lab.UPLINK_EXT + " dev eth0");
    try (ServerSocket a = Lab.serve(ns1, "0.0.0.0", 80);
        ServerSocket router = Lab.serve(lab.ext, BEYOND, 9400)) {
      assertThat(L2Lab.callWithin(ns2, EP1_IP, 80, 10)).isEqualTo("peer=" + EP2_IP);
      // off-subnet traffic goes to the gateway (the external router) with the container's address
      assertThat(L2Lab.callWithin(ns1, BEYOND, 9400, 10)).isEqualTo("peer=" + EP1_IP);
      assertThat(L2Lab.callWithin(ns2, BEYOND, 9400, 10)).isEqualTo("peer=" + EP2_IP);
      assertThat(L2Lab.callWithin(lab.ext, EP1_IP, 80, 10)).isEqualTo("peer=" + Lab.UPLINK_EXT);
    }
    L2Lab.assertHostReachesOutside(lab);
  }

  @Test
  void detachAndDeleteLeaveTheHostAndNamespacesAsBefore() throws Exception {
    String before = L2Lab.kernel(lab.host);
    L2Lab.Setup s = L2Lab.build(hns, NetworkType.L2BRIDGE);
    NetNs ns1 = L2Lab.netns(lab, s.ns1());
    hns.removeNamespaceEndpoint(id(s.ns1()), id(s.ep1()));
    assertThat(L2Lab.run("ip", "-n", ns1.name(), "-o", "link")).doesNotContain("eth0");
    hns.addNamespaceEndpoint(id(s.ns1()), id(s.ep1()));
    try (ServerSocket router = Lab.serve(lab.ext, BEYOND, 9401)) {
      assertThat(L2Lab.callWithin(ns1, BEYOND, 9401, 10)).isEqualTo("peer=" + EP1_IP);
    }
    L2Lab.teardown(hns, s);
    assertThat(L2Lab.kernel(lab.host)).isEqualTo(before);
    assertThat(lab.hnsNetns()).isEmpty();
    L2Lab.assertHostReachesOutside(lab);
  }
}
