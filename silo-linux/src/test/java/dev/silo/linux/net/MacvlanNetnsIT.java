package dev.silo.linux.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Macvlan children born in another namespace (IFLA_NET_NS_FD), the way HNS l2 drivers give a
 * container its uplink port: the parent stays here, the child never appears here.
 */
class MacvlanNetnsIT {
  private final NetFixture net = new NetFixture();

  @AfterEach
  void cleanup() {
    net.close();
  }

  @Test
  void childIsBornInTheTargetNamespaceAsEth0AndCarriesTraffic() throws Exception {
    NetNs host = net.netns("mvh");
    NetNs c1 = net.netns("mvc1");
    NetNs c2 = net.netns("mvc2");
    try (Rtnetlink h = Rtnetlink.open(host);
        Rtnetlink r1 = Rtnetlink.open(c1);
        Rtnetlink r2 = Rtnetlink.open(c2)) {
      h.links().addVeth("up0", "up1", null);
      h.links().setUp("up0");
      h.links().setUp("up1");
      // eth0 both times: each child is named only in its own namespace
      h.links().addMacvlan("eth0", "up0", MacvlanMode.BRIDGE, c1);
      h.links().addMacvlan("eth0", "up0", MacvlanMode.BRIDGE, c2);
      assertThat(NetFixture.ipLinks(host)).containsExactlyInAnyOrder("lo", "up0", "up1");
      assertThat(NetFixture.run("ip", "-n", c1.name(), "-d", "-o", "link", "show", "eth0"))
          .contains("macvlan mode bridge");
      r1.addresses().add("eth0", IpPrefix.parse("10.251.0.11/24"));
      r2.addresses().add("eth0", IpPrefix.parse("10.251.0.12/24"));
      r1.links().setUp("eth0");
      r2.links().setUp("eth0");
      InetAddress a1 = InetAddress.ofLiteral("10.251.0.11");
      String peer = NetFixture.tcp(c1, a1, 7001, c2, a1, 7001);
      assertThat(peer).isEqualTo("10.251.0.12");
      h.links().delete("up0");
      // the children die with their parent
      assertThat(NetFixture.ipLinks(c1)).containsExactly("lo");
      assertThat(NetFixture.ipLinks(c2)).containsExactly("lo");
    }
  }

  @Test
  void vepaChildInANamespaceAndAMissingParentIsNamed() {
    NetNs host = net.netns("mvv");
    NetNs c = net.netns("mvvc");
    try (Rtnetlink h = Rtnetlink.open(host)) {
      h.links().addVeth("up0", "up1", null);
      h.links().addMacvlan("eth0", "up0", MacvlanMode.VEPA, c);
      assertThat(NetFixture.run("ip", "-n", c.name(), "-d", "-o", "link", "show", "eth0"))
          .contains("macvlan mode vepa");
      assertThatThrownBy(() -> h.links().addMacvlan("eth1", "nope0", MacvlanMode.VEPA, c))
          .hasMessage("RTM_NEWLINK macvlan eth1: parent nope0: No such device");
      h.links().delete("up0");
      assertThat(NetFixture.ipLinks(c)).containsExactly("lo");
      assertThat(NetFixture.ipLinks(host)).containsExactly("lo");
    }
  }
}
