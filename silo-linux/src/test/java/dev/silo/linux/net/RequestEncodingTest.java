package dev.silo.linux.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The exact requests each operation sends, checked field by field against the uapi layouts. */
class RequestEncodingTest {
  private final RecordingChannel ch = new RecordingChannel().link("eth0", 2).link("br0", 5);
  private final Rtnetlink rt = new Rtnetlink(ch);

  private static final int CREATE_EXCL = 0x1 | 0x4 | 0x400 | 0x200;

  @Test
  void vethPeerInfoCarriesItsOwnIfinfomsgNameAndNamespaceFd() {
    rt.links().addVeth("h0", "eth1", NetNs.ofPath(Path.of("/proc/self/ns/net")));
    RecordingChannel.Sent s = ch.last();
    assertThat(s.op()).isEqualTo("RTM_NEWLINK veth");
    assertThat(s.object()).isEqualTo("h0");
    assertThat(s.type()).isEqualTo(Links.RTM_NEWLINK);
    assertThat(s.flags()).isEqualTo(CREATE_EXCL);
    NlAttrs a = s.message().attrs(16);
    assertThat(a.string(Links.IFLA_IFNAME)).isEqualTo("h0");
    NlAttrs info = a.nested(Links.IFLA_LINKINFO);
    assertThat(info.string(Links.IFLA_INFO_KIND)).isEqualTo("veth");
    ByteBuffer peer =
        java.util.Objects.requireNonNull(
            info.nested(Links.IFLA_INFO_DATA).raw(Links.VETH_INFO_PEER), "VETH_INFO_PEER");
    assertThat(peer.remaining()).isGreaterThan(16);
    peer.position(16); // struct ifinfomsg of the peer comes first
    NlAttrs p = NlAttrs.parse(peer);
    assertThat(p.string(Links.IFLA_IFNAME)).isEqualTo("eth1");
    assertThat(p.u32(Links.IFLA_NET_NS_FD, -1)).isGreaterThanOrEqualTo(0);
  }

  @Test
  void vxlanAttributesFollowIfLinkH() throws Exception {
    rt.links()
        .addVxlan(
            new VxlanSpec("vx0", 42, InetAddress.getByName("192.0.2.1"), 4789, "eth0", false, 64));
    NlAttrs d = ch.last().message().attrs(16).nested(Links.IFLA_LINKINFO).nested(2);
    assertThat(d.u32(1, 0)).isEqualTo(42); // IFLA_VXLAN_ID
    assertThat(d.address(4)).isEqualTo(InetAddress.getByName("192.0.2.1")); // LOCAL
    assertThat(d.u32(3, 0)).isEqualTo(2); // LINK = ifindex of eth0
    assertThat(d.u8(5, -1)).isEqualTo(64); // TTL
    assertThat(d.u8(7, -1)).isZero(); // LEARNING off
    assertThat(d.bytes(15)).containsExactly(0x12, 0xb5); // PORT 4789, big-endian
    assertThat(d.u8(11, -1)).isEqualTo(-1); // no PROXY unless asked
  }

  @Test
  void vxlanProxyIsAnAttributeOnlyWhenAsked() throws Exception {
    rt.links()
        .addVxlan(
            VxlanSpec.of("vx0", 42, InetAddress.getByName("192.0.2.1"), "eth0").withProxy(true));
    NlAttrs d = ch.last().message().attrs(16).nested(Links.IFLA_LINKINFO).nested(2);
    assertThat(d.u8(11, -1)).isEqualTo(1); // IFLA_VXLAN_PROXY
  }

  @Test
  void macvlanAndIpvlanModesAndParent() {
    rt.links().addMacvlan("mv0", "eth0", MacvlanMode.VEPA);
    NlAttrs a = ch.last().message().attrs(16);
    assertThat(a.u32(Links.IFLA_LINK, 0)).isEqualTo(2);
    assertThat(a.nested(Links.IFLA_LINKINFO).nested(2).u32(1, 0)).isEqualTo(2);

    rt.links().addIpvlan("ipv0", "eth0", IpvlanMode.L3, Set.of(IpvlanFlag.PRIVATE));
    NlAttrs i = ch.last().message().attrs(16);
    assertThat(i.nested(Links.IFLA_LINKINFO).string(Links.IFLA_INFO_KIND)).isEqualTo("ipvlan");
    NlAttrs d = i.nested(Links.IFLA_LINKINFO).nested(2);
    assertThat(d.u16(1, -1)).isEqualTo(1); // IFLA_IPVLAN_MODE = L3
    assertThat(d.u16(2, -1)).isEqualTo(1); // IFLA_IPVLAN_FLAGS = PRIVATE
  }

  @Test
  void setUpAddressesTheLinkByNameAndMasterByIndex() {
    rt.links().setUp("eth0");
    ByteBuffer b = ch.last().body();
    assertThat(ch.last().type()).isEqualTo(Links.RTM_SETLINK);
    assertThat(b.getInt(4)).isZero(); // index 0: the kernel looks the name up
    assertThat(b.getInt(8)).isEqualTo(1); // IFF_UP in flags
    assertThat(b.getInt(12)).isEqualTo(1); // and in the change mask
    assertThat(ch.last().message().attrs(16).string(Links.IFLA_IFNAME)).isEqualTo("eth0");

    rt.links().setMaster("eth0", "br0");
    assertThat(ch.last().message().attrs(16).u32(Links.IFLA_MASTER, 0)).isEqualTo(5);
    assertThat(ch.last().op()).isEqualTo("RTM_SETLINK master br0");
  }

  @Test
  void routeAddAndDeleteLikeIproute2() throws Exception {
    Route r =
        Route.via(IpPrefix.parse("10.33.0.0/24"), InetAddress.getByName("192.168.9.1"), "eth0")
            .withOnlink()
            .withMetric(7);
    rt.routes().add(r);
    ByteBuffer b = ch.last().body();
    assertThat(b.get(0)).isEqualTo((byte) 2); // AF_INET
    assertThat(b.get(1)).isEqualTo((byte) 24);
    assertThat(b.get(4) & 0xff).isEqualTo(254); // main table
    assertThat(b.get(5)).isEqualTo((byte) 3); // RTPROT_BOOT
    assertThat(b.get(6)).isZero(); // scope universe
    assertThat(b.get(7)).isEqualTo((byte) 1); // RTN_UNICAST
    assertThat(b.getInt(8)).isEqualTo(4); // RTNH_F_ONLINK
    NlAttrs a = ch.last().message().attrs(12);
    assertThat(a.address(Routes.RTA_DST)).isEqualTo(InetAddress.getByName("10.33.0.0"));
    assertThat(a.address(Routes.RTA_GATEWAY)).isEqualTo(InetAddress.getByName("192.168.9.1"));
    assertThat(a.u32(Routes.RTA_OIF, 0)).isEqualTo(2);
    assertThat(a.u32(Routes.RTA_PRIORITY, 0)).isEqualTo(7);

    rt.routes().delete(r);
    ByteBuffer d = ch.last().body();
    assertThat(ch.last().flags()).isEqualTo(0x1 | 0x4);
    assertThat(d.get(5)).isZero(); // any protocol
    assertThat(d.get(6) & 0xff).isEqualTo(255); // RT_SCOPE_NOWHERE: match any scope
    assertThat(d.get(7)).isZero();
  }

  @Test
  void fdbAppendIsAPermanentSelfEntryOnTheBridgeFamily() throws Exception {
    MacAddress mac = MacAddress.parse("02:00:00:00:02:02");
    rt.neighbours().fdbAppend("eth0", mac, InetAddress.getByName("192.168.100.2"));
    RecordingChannel.Sent s = ch.last();
    assertThat(s.flags()).isEqualTo(0x1 | 0x4 | 0x400 | 0x800); // CREATE | APPEND
    ByteBuffer b = s.body();
    assertThat(b.get(0)).isEqualTo((byte) 7); // AF_BRIDGE
    assertThat(b.getInt(4)).isEqualTo(2);
    assertThat(b.getShort(8)).isEqualTo((short) 0x80); // NUD_PERMANENT
    assertThat(b.get(10)).isEqualTo((byte) 0x02); // NTF_SELF
    NlAttrs a = s.message().attrs(12);
    assertThat(a.bytes(Neighbours.NDA_LLADDR)).isEqualTo(mac.bytes());
    assertThat(a.address(Neighbours.NDA_DST)).isEqualTo(InetAddress.getByName("192.168.100.2"));
  }

  @Test
  void ipv6AddressesSkipDuplicateAddressDetection() throws Exception {
    rt.addresses().add("eth0", IpPrefix.parse("fd00::2/64"));
    ByteBuffer b = ch.last().body();
    assertThat(b.get(0)).isEqualTo((byte) 10); // AF_INET6
    assertThat(b.get(1)).isEqualTo((byte) 64);
    assertThat(b.get(2)).isEqualTo((byte) 0x02); // IFA_F_NODAD
    assertThat(b.getInt(4)).isEqualTo(2);
    NlAttrs a = ch.last().message().attrs(8);
    assertThat(a.address(Addresses.IFA_ADDRESS)).isEqualTo(InetAddress.getByName("fd00::2"));
    assertThat(a.has(Addresses.IFA_LOCAL)).isFalse();
  }
}
