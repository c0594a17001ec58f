package dev.silo.linux.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Real-kernel rtnetlink: every object lives in private namespaces the test creates and removes. */
class RtnetlinkIT {
  private final NetFixture net = new NetFixture();

  @AfterEach
  void cleanup() {
    net.close();
  }

  private static InetAddress ip(String s) throws Exception {
    return InetAddress.getByName(s);
  }

  @Test
  void vethWithPeerBornInAnotherNamespaceCarriesTcp() throws Exception {
    NetNs a = net.netns("va");
    NetNs b = net.netns("vb");
    try (Rtnetlink ra = Rtnetlink.open(a);
        Rtnetlink rb = Rtnetlink.open(b)) {
      ra.links().addVeth("veth-a", "veth-b", b);
      assertThat(ra.links().find("veth-b")).isEmpty();
      Link peer = rb.links().get("veth-b");
      assertThat(peer.kind()).isEqualTo("veth");
      ra.addresses().add("veth-a", IpPrefix.parse("10.10.0.1/24"));
      rb.addresses().add("veth-b", IpPrefix.parse("10.10.0.2/24"));
      ra.links().setUp("veth-a");
      rb.links().setUp("veth-b");
      ra.addresses().add("veth-a", IpPrefix.parse("fd00:10::1/64"));
      // the kernel adds an fe80:: address by itself once the link is up: ignore link-locals
      assertThat(ra.addresses().list("veth-a"))
          .extracting(IfAddress::prefix)
          .filteredOn(p -> !p.address().isLinkLocalAddress())
          .containsExactlyInAnyOrder(
              IpPrefix.parse("10.10.0.1/24"), IpPrefix.parse("fd00:10::1/64"));
      assertThat(ra.links().get("veth-a").up()).isTrue();

      String seen = NetFixture.tcp(a, ip("10.10.0.1"), 7001, b, ip("10.10.0.1"), 7001);
      assertThat(seen).isEqualTo("10.10.0.2");

      ra.links().delete("veth-a");
      assertThat(NetFixture.ipLinks(a)).containsExactly("lo");
      assertThat(NetFixture.ipLinks(b)).containsExactly("lo");
    }
  }

  @Test
  void vethSpecEnslavesRaisesAndSetsThePeerMacInOneRequest() {
    NetNs host = net.netns("sh");
    NetNs c = net.netns("sc");
    MacAddress mac = MacAddress.parse("02:00:00:aa:bb:cc");
    try (Rtnetlink rh = Rtnetlink.open(host);
        Rtnetlink rc = Rtnetlink.open(c)) {
      rh.links().addBridge("br0");
      rh.links().addVeth(new VethSpec("p1", "br0", "eth0", c, mac, true));
      Link local = rh.links().get("p1");
      assertThat(local.master()).isEqualTo(rh.links().get("br0").index());
      assertThat(local.up()).isTrue();
      Link peer = rc.links().get("eth0");
      assertThat(peer.mac()).isEqualTo(mac);
      assertThat(peer.up()).isFalse();
      assertThat(rh.links().find("eth0")).isEmpty();
    }
  }

  @Test
  void bridgeWithTwoVethsForwardsTcp() throws Exception {
    NetNs host = net.netns("bh");
    NetNs c1 = net.netns("bc1");
    NetNs c2 = net.netns("bc2");
    try (Rtnetlink rh = Rtnetlink.open(host);
        Rtnetlink r1 = Rtnetlink.open(c1);
        Rtnetlink r2 = Rtnetlink.open(c2)) {
      rh.links().addBridge("br0");
      rh.links().setUp("br0");
      rh.links().addVeth("p1", "eth0", c1);
      rh.links().addVeth("p2", "eth0", c2);
      int br = rh.links().get("br0").index();
      for (String p : new String[] {"p1", "p2"}) {
        rh.links().setMaster(p, "br0");
        rh.links().setUp(p);
        assertThat(rh.links().get(p).master()).isEqualTo(br);
      }
      r1.addresses().add("eth0", IpPrefix.parse("10.20.0.1/24"));
      r2.addresses().add("eth0", IpPrefix.parse("10.20.0.2/24"));
      r1.links().setUp("eth0");
      r2.links().setUp("eth0");

      assertThat(NetFixture.tcp(c2, ip("10.20.0.2"), 7002, c1, ip("10.20.0.2"), 7002))
          .isEqualTo("10.20.0.1");

      rh.links().setNoMaster("p1");
      assertThat(rh.links().get("p1").master()).isZero();
    }
  }

  @Test
  void vxlanWithStaticFdbAndNeighboursCarriesTcp() throws Exception {
    NetNs h1 = net.netns("x1");
    NetNs h2 = net.netns("x2");
    MacAddress mac1 = MacAddress.parse("02:00:00:00:01:01");
    MacAddress mac2 = MacAddress.parse("02:00:00:00:02:02");
    try (Rtnetlink r1 = Rtnetlink.open(h1);
        Rtnetlink r2 = Rtnetlink.open(h2)) {
      r1.links().addVeth("under", "under", h2);
      r1.addresses().add("under", IpPrefix.parse("192.168.100.1/24"));
      r2.addresses().add("under", IpPrefix.parse("192.168.100.2/24"));
      r1.links().setUp("under");
      r2.links().setUp("under");
      overlayEnd(r1, "192.168.100.1", "10.200.0.1/24", mac1);
      overlayEnd(r2, "192.168.100.2", "10.200.0.2/24", mac2);
      r1.neighbours().fdbAppend("vx0", mac2, ip("192.168.100.2"));
      r1.neighbours().add("vx0", ip("10.200.0.2"), mac2);
      r2.neighbours().fdbAppend("vx0", mac1, ip("192.168.100.1"));
      r2.neighbours().add("vx0", ip("10.200.0.1"), mac1);

      assertThat(r1.neighbours().fdbList("vx0"))
          .anySatisfy(
              e -> {
                assertThat(e.mac()).isEqualTo(mac2);
                assertThat(e.dst()).isEqualTo(ip("192.168.100.2"));
              });
      assertThat(r1.neighbours().list("vx0"))
          .anySatisfy(
              n -> {
                assertThat(n.ip()).isEqualTo(ip("10.200.0.2"));
                assertThat(n.mac()).isEqualTo(mac2);
                assertThat(n.permanent()).isTrue();
              });
      Link vx = r1.links().get("vx0");
      assertThat(vx.kind()).isEqualTo("vxlan");
      assertThat(vx.mac()).isEqualTo(mac1);
      assertThat(vx.mtu()).isEqualTo(1450);
      assertThat(NetFixture.run("ip", "-n", h1.name(), "-d", "link", "show", "vx0"))
          .contains("vxlan id 4242", "dstport 4789", "nolearning", "local 192.168.100.1");

      assertThat(NetFixture.tcp(h2, ip("10.200.0.2"), 7003, h1, ip("10.200.0.2"), 7003))
          .isEqualTo("10.200.0.1");

      r1.neighbours().fdbDelete("vx0", mac2, ip("192.168.100.2"));
      assertThat(r1.neighbours().fdbList("vx0")).noneMatch(e -> e.mac().equals(mac2));
    }
  }

  private static void overlayEnd(Rtnetlink rt, String local, String overlay, MacAddress mac)
      throws Exception {
    rt.links().addVxlan(VxlanSpec.of("vx0", 4242, ip(local), "under"));
    rt.links().setMac("vx0", mac);
    rt.links().setMtu("vx0", 1450);
    rt.addresses().add("vx0", IpPrefix.parse(overlay));
    rt.links().setUp("vx0");
  }

  @Test
  void macvlanVepaAndBridgeOnAParent() {
    NetNs ns = net.netns("mv");
    try (Rtnetlink rt = Rtnetlink.open(ns)) {
      // this kernel has no dummy driver: a veth pair kept in the namespace is the uplink
      rt.links().addVeth("up0", "up1", null);
      rt.links().addMacvlan("mv0", "up0", MacvlanMode.VEPA);
      rt.links().addMacvlan("mv1", "up0", MacvlanMode.BRIDGE);
      rt.links().addMacvlan("mv2", "up1", MacvlanMode.PRIVATE);
      assertThat(rt.links().get("mv0").kind()).isEqualTo("macvlan");
      assertThat(rt.links().get("mv0").mac()).isNotEqualTo(rt.links().get("up0").mac());
      String detail = NetFixture.run("ip", "-n", ns.name(), "-d", "-o", "link");
      assertThat(detail)
          .containsPattern("mv0@up0.*macvlan mode vepa")
          .containsPattern("mv1@up0.*macvlan mode bridge")
          .containsPattern("mv2@up1.*macvlan mode private");
      for (String l : new String[] {"mv0", "mv1", "mv2", "up0"}) {
        rt.links().delete(l);
      }
      assertThat(NetFixture.ipLinks(ns)).containsExactly("lo");
    }
  }

  @Test
  void ipvlanL2IsCreatedOrRefusedClearlyByThisKernel() throws Exception {
    NetNs ns = net.netns("ipv");
    boolean built =
        kernelConfig().contains("CONFIG_IPVLAN=y") || kernelConfig().contains("CONFIG_IPVLAN=m");
    try (Rtnetlink rt = Rtnetlink.open(ns)) {
      rt.links().addVeth("up0", "up1", null);
      if (built) {
        rt.links().addIpvlan("ipv0", "up0", IpvlanMode.L2, Set.of());
        rt.links().addIpvlan("ipv1", "up0", IpvlanMode.L3, Set.of(IpvlanFlag.PRIVATE));
        assertThat(NetFixture.run("ip", "-n", ns.name(), "-d", "-o", "link"))
            .containsPattern("ipv0@up0.*ipvlan  ?mode l2 bridge")
            .containsPattern("ipv1@up0.*ipvlan  ?mode l3 private");
        // children share the parent's MAC: that is what makes ipvlan l2bridge's ARP per IP
        assertThat(rt.links().get("ipv0").mac()).isEqualTo(rt.links().get("up0").mac());
        rt.links().delete("ipv0");
        rt.links().delete("ipv1");
      } else {
        // CONFIG_IPVLAN is off on this machine's kernel: the refusal must be one clear line
        assertThatThrownBy(() -> rt.links().addIpvlan("ipv0", "up0", IpvlanMode.L2, Set.of()))
            .hasMessage("RTM_NEWLINK ipvlan ipv0: Operation not supported (Unknown device type)");
      }
      rt.links().delete("up0");
      assertThat(NetFixture.ipLinks(ns)).containsExactly("lo");
    }
  }

  private static String kernelConfig() throws Exception {
    try (var in =
        new java.util.zip.GZIPInputStream(
            java.nio.file.Files.newInputStream(java.nio.file.Path.of("/proc/config.gz")))) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  @Test
  void linkAttributesRenameAndMoveToAnotherNamespace() {
    NetNs ns = net.netns("lk");
    NetNs other = net.netns("lk2");
    MacAddress mac = MacAddress.parse("02-11-22-33-44-55");
    try (Rtnetlink rt = Rtnetlink.open(ns);
        Rtnetlink ro = Rtnetlink.open(other)) {
      rt.links().addVeth("d0", "peer0", null);
      rt.links().setMtu("d0", 1400);
      rt.links().setMac("d0", mac);
      rt.links().rename("d0", "d1");
      assertThat(rt.links().find("d0")).isEmpty();
      Link d1 = rt.links().get("d1");
      assertThat(d1.mtu()).isEqualTo(1400);
      assertThat(d1.mac()).isEqualTo(mac);
      assertThat(rt.links().list()).extracting(Link::name).containsExactly("lo", "peer0", "d1");
      rt.links().setUp("d1");
      assertThat(rt.links().get("d1").up()).isTrue();
      rt.links().setDown("d1");
      assertThat(rt.links().get("d1").up()).isFalse();
      rt.links().moveTo("d1", other);
      assertThat(NetFixture.ipLinks(ns)).containsExactly("lo", "peer0");
      assertThat(ro.links().get("d1").mac()).isEqualTo(mac);
      ro.links().delete("d1");
      assertThat(NetFixture.ipLinks(other)).containsExactly("lo");
    }
  }

  @Test
  void routesAndNeighboursAreListedBack() throws Exception {
    NetNs ns = net.netns("rt");
    try (Rtnetlink rt = Rtnetlink.open(ns)) {
      rt.links().addVeth("d0", "d0p", null);
      rt.links().setUp("d0p");
      rt.links().setUp("d0");
      rt.addresses().add("d0", IpPrefix.parse("10.30.0.1/24"));
      Route viaGw =
          Route.via(IpPrefix.parse("10.31.0.0/24"), ip("10.30.0.254"), "d0").withMetric(10);
      Route direct = Route.direct(IpPrefix.parse("10.32.0.0/24"), "d0");
      Route onlink =
          Route.via(IpPrefix.parse("10.33.0.0/24"), ip("192.168.99.1"), "d0").withOnlink();
      Route other = Route.via(IpPrefix.parse("0.0.0.0/0"), ip("10.30.0.254"), "d0").inTable(100);
      for (Route r : new Route[] {viaGw, direct, onlink, other}) {
        rt.routes().add(r);
      }
      assertThat(rt.routes().list(Route.MAIN)).contains(viaGw, direct, onlink);
      assertThat(rt.routes().list(100)).containsExactly(other);
      assertThat(NetFixture.run("ip", "-n", ns.name(), "route", "show", "10.33.0.0/24"))
          .contains("via 192.168.99.1 dev d0 onlink");
      assertThatThrownBy(() -> rt.routes().add(direct))
          .hasMessage("RTM_NEWROUTE 10.32.0.0/24 dev d0: File exists");
      Route moved =
          Route.via(IpPrefix.parse("10.31.0.0/24"), ip("10.30.0.253"), "d0").withMetric(10);
      rt.routes().replace(moved);
      assertThat(rt.routes().list(Route.MAIN)).contains(moved).doesNotContain(viaGw);
      for (Route r : new Route[] {moved, direct, onlink, other}) {
        rt.routes().delete(r);
      }
      assertThat(rt.routes().list(Route.MAIN))
          .extracting(Route::dst)
          .filteredOn(IpPrefix::isIpv4)
          .containsExactly(IpPrefix.parse("10.30.0.0/24"));
      assertThat(rt.routes().list(100)).isEmpty();

      MacAddress m1 = MacAddress.parse("02:00:00:00:00:09");
      MacAddress m2 = MacAddress.parse("02:00:00:00:00:0a");
      rt.neighbours().add("d0", ip("10.30.0.9"), m1);
      assertThatThrownBy(() -> rt.neighbours().add("d0", ip("10.30.0.9"), m2))
          .hasMessage("RTM_NEWNEIGH 10.30.0.9 d0: File exists");
      rt.neighbours().replace("d0", ip("10.30.0.9"), m2);
      // IPv6 multicast entries (NOARP) appear by themselves on an up link: look at IPv4 only
      assertThat(rt.neighbours().list("d0"))
          .filteredOn(n -> n.ip() instanceof java.net.Inet4Address)
          .containsExactly(new Neighbour("d0", ip("10.30.0.9"), m2, Neighbour.PERMANENT));
      rt.neighbours().delete("d0", ip("10.30.0.9"));
      assertThat(rt.neighbours().list("d0"))
          .noneMatch(n -> n.ip() instanceof java.net.Inet4Address);
      rt.addresses().delete("d0", IpPrefix.parse("10.30.0.1/24"));
      assertThat(rt.addresses().list("d0")).noneMatch(a -> a.prefix().isIpv4());
    }
  }

  @Test
  void errorsNameTheOperationAndObjectAndLeaveNothingBehind() {
    NetNs ns = net.netns("er");
    NetNs peer = net.netns("er2");
    try (Rtnetlink rt = Rtnetlink.open(ns)) {
      rt.links().addVeth("dup0", "dup0p", peer);
      assertThatThrownBy(() -> rt.links().addVeth("dup0", "other0", peer))
          .isInstanceOf(NetException.class)
          .hasMessageStartingWith("RTM_NEWLINK veth dup0: File exists");
      assertThatThrownBy(() -> rt.links().addMacvlan("mv9", "nope0", MacvlanMode.BRIDGE))
          .hasMessage("RTM_NEWLINK macvlan mv9: parent nope0: No such device");
      assertThatThrownBy(() -> rt.links().setUp("ghost0"))
          .hasMessage("RTM_SETLINK up ghost0: No such device");
      assertThatThrownBy(() -> rt.links().addBridge("much-too-long-name"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("link name 'much-too-long-name'");
      assertThat(NetFixture.ipLinks(ns)).containsExactlyInAnyOrder("lo", "dup0");
      assertThat(NetFixture.ipLinks(peer)).containsExactlyInAnyOrder("lo", "dup0p");
      rt.links().delete("dup0");
      assertThat(NetFixture.ipLinks(ns)).containsExactly("lo");
      assertThat(NetFixture.ipLinks(peer)).containsExactly("lo");
    }
  }

  @Test
  void measureVethInNamespaceCreateAddressUp() {
    NetNs host = net.netns("mh");
    NetNs ctr = net.netns("mc");
    int n = 50;
    try (Rtnetlink rh = Rtnetlink.open(host);
        Rtnetlink rc = Rtnetlink.open(ctr)) {
      long total = 0;
      long min = Long.MAX_VALUE;
      for (int i = 0; i < n; i++) {
        long t0 = System.nanoTime();
        rh.links().addVeth("m" + i, "eth" + i, ctr);
        rc.addresses().add("eth" + i, IpPrefix.parse("10.40." + i + ".2/24"));
        rc.links().setUp("eth" + i);
        rh.links().setUp("m" + i);
        long dt = System.nanoTime() - t0;
        total += dt;
        min = Math.min(min, dt);
      }
      System.out.printf(
          "MEASURE veth-in-netns create+addr+up: mean %.3f ms, min %.3f ms (n=%d)%n",
          total / 1e6 / n, min / 1e6, n);
      for (int i = 0; i < n; i++) {
        rh.links().delete("m" + i);
      }
      assertThat(NetFixture.ipLinks(host)).containsExactly("lo");
      assertThat(NetFixture.ipLinks(ctr)).containsExactly("lo");
    }
  }
}
