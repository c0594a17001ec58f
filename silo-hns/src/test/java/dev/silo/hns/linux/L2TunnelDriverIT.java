package dev.silo.hns.linux;

import static dev.silo.hns.linux.L2Lab.EP1_IP;
import static dev.silo.hns.linux.L2Lab.EP2_IP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.silo.hns.HostNetworkService;
import dev.silo.linux.net.NetNs;
import dev.silo.schema.hcn.NetworkType;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The l2tunnel driver end to end: macvlan VEPA children of the uplink, so two endpoints of the same
 * host talk only when the external switch (here a bridge in the external netns) reflects their
 * frames back through the uplink port (hairpin).
 */
class L2TunnelDriverIT {
  @TempDir Path dir;
  Lab lab;
  HostNetworkService hns;

  @BeforeEach
  void setUp() throws Exception {
    lab = new Lab(dir);
    hns = lab.hns;
    // the external switch: a bridge holding the uplink's far end, with the router address on it
    String e = lab.ext.name();
    L2Lab.run("ip", "-n", e, "link", "add", "br0", "type", "bridge");
    L2Lab.run("ip", "-n", e, "addr", "del", Lab.UPLINK_EXT + "/24", "dev", "ext0");
    L2Lab.run("ip", "-n", e, "link", "set", "ext0", "master", "br0");
    L2Lab.run("ip", "-n", e, "addr", "add", Lab.UPLINK_EXT + "/24", "dev", "br0");
    L2Lab.run("ip", "-n", e, "link", "set", "br0", "up");
  }

  @AfterEach
  void tearDown() {
    lab.close();
  }

  private void hairpin(boolean on) {
    L2Lab.run(
        "ip",
        "-n",
        lab.ext.name(),
        "link",
        "set",
        "ext0",
        "type",
        "bridge_slave",
        "hairpin",
        on ? "on" : "off");
  }

  @Test
  void endpointsTalkOnlyThroughTheExternalSwitchsHairpin() throws Exception {
    String before = L2Lab.kernel(lab.host);
    L2Lab.Setup s = L2Lab.build(hns, NetworkType.L2TUNNEL);
    NetNs ns1 = L2Lab.netns(lab, s.ns1());
    NetNs ns2 = L2Lab.netns(lab, s.ns2());
    assertThat(L2Lab.run("ip", "-n", ns1.name(), "-d", "-o", "link", "show", "eth0"))
        .contains("macvlan mode vepa");
    assertThat(L2Lab.run("ip", "-n", ns2.name(), "-o", "-4", "addr", "show", "eth0"))
        .contains(EP2_IP + "/24");
    try (ServerSocket a = Lab.serve(ns1, "0.0.0.0", 80);
        ServerSocket out = Lab.serve(lab.ext, Lab.UPLINK_EXT, 9500)) {
      // the switch itself is reachable either way
      assertThat(L2Lab.callWithin(ns2, Lab.UPLINK_EXT, 9500, 10)).isEqualTo("peer=" + EP2_IP);
      // no reflection: VEPA never switches locally, so the neighbour is unreachable
      assertThatThrownBy(() -> Lab.call(ns2, EP1_IP, 80)).isInstanceOf(IOException.class);
      hairpin(true);
      assertThat(L2Lab.callWithin(ns2, EP1_IP, 80, 15)).isEqualTo("peer=" + EP2_IP);
      assertThat(L2Lab.run("ip", "-n", lab.ext.name(), "-d", "link", "show", "ext0"))
          .contains("hairpin on");
      hairpin(false);
      assertThatThrownBy(() -> Lab.call(ns2, EP1_IP, 80)).isInstanceOf(IOException.class);
    }
    L2Lab.teardown(hns, s);
    assertThat(L2Lab.kernel(lab.host)).isEqualTo(before);
    L2Lab.assertHostReachesOutside(lab);
  }
}
