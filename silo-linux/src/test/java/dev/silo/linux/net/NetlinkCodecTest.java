package dev.silo.linux.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Netlink message encoding and decoding without a kernel. */
class NetlinkCodecTest {
  private static ByteBuffer le(byte[] b) {
    return ByteBuffer.wrap(b).order(ByteOrder.nativeOrder());
  }

  @Test
  void headerCarriesLengthTypeFlagsAndSequence() {
    NlRequest r = new NlRequest(Links.RTM_NEWLINK, NlRequest.F_ACK | NlRequest.F_CREATE);
    Links.ifinfo(r, 7, Links.IFF_UP, Links.IFF_UP);
    byte[] b = r.build(42);
    ByteBuffer bb = le(b);
    assertThat(b).hasSize(32);
    assertThat(bb.getInt(0)).isEqualTo(32);
    assertThat(bb.getShort(4)).isEqualTo((short) 16);
    assertThat(bb.getShort(6)).isEqualTo((short) (0x1 | 0x4 | 0x400));
    assertThat(bb.getInt(8)).isEqualTo(42);
    assertThat(bb.getInt(16 + 4)).isEqualTo(7);
    assertThat(bb.getInt(16 + 8)).isEqualTo(1);
  }

  @Test
  void attributesArePaddedToFourBytesAndNestsMeasureTheirContent() {
    NlRequest r = new NlRequest(Links.RTM_NEWLINK, 0);
    r.attrString(Links.IFLA_IFNAME, "ab"); // 4 + "ab\0" = 7, padded to 8
    int nest = r.begin(Links.IFLA_LINKINFO);
    r.attrString(Links.IFLA_INFO_KIND, "vxlan"); // 4 + 6 = 10, padded to 12
    int data = r.begin(Links.IFLA_INFO_DATA);
    r.attrU16be(15, 4789);
    r.end(data);
    r.end(nest);
    ByteBuffer b = le(r.build(1));
    assertThat(b.getShort(16)).isEqualTo((short) 7);
    assertThat(b.get(20)).isEqualTo((byte) 'a');
    assertThat(b.get(22)).isZero();
    // nest at 24: header 4 + kind 12 + data nest (4 + port attr 4 + 2 → 8) 12 = 28
    assertThat(b.getShort(24)).isEqualTo((short) 28);
    assertThat(Short.toUnsignedInt(b.getShort(26))).isEqualTo(Links.IFLA_LINKINFO | 0x8000);
    assertThat(b.get(24 + 16 + 8) & 0xff).isEqualTo(0x12); // 4789 = 0x12b5, network byte order
    assertThat(b.get(24 + 16 + 9) & 0xff).isEqualTo(0xb5);

    b.position(16);
    NlAttrs attrs = NlAttrs.parse(b);
    assertThat(attrs.string(Links.IFLA_IFNAME)).isEqualTo("ab");
    NlAttrs info = attrs.nested(Links.IFLA_LINKINFO);
    assertThat(info.string(Links.IFLA_INFO_KIND)).isEqualTo("vxlan");
    assertThat(info.nested(Links.IFLA_INFO_DATA).u16(15, 0)).isEqualTo(0xb512);
  }

  @Test
  void addressesAndIntegersRoundTrip() throws Exception {
    NlRequest r = new NlRequest(Routes.RTM_NEWROUTE, 0);
    r.attrAddr(Routes.RTA_GATEWAY, InetAddress.getByName("10.1.2.3"));
    r.attrAddr(Routes.RTA_DST, InetAddress.getByName("fd00::1"));
    r.attrU32(Routes.RTA_TABLE, 100);
    r.attrU8(Links.IFLA_OPERSTATE, 6);
    ByteBuffer b = le(r.build(1));
    b.position(16);
    NlAttrs a = NlAttrs.parse(b);
    assertThat(a.address(Routes.RTA_GATEWAY)).isEqualTo(InetAddress.getByName("10.1.2.3"));
    assertThat(a.address(Routes.RTA_DST)).isEqualTo(InetAddress.getByName("fd00::1"));
    assertThat(a.u32(Routes.RTA_TABLE, 0)).isEqualTo(100);
    assertThat(a.u8(Links.IFLA_OPERSTATE, 0)).isEqualTo(6);
    assertThat(a.u32(Routes.RTA_OIF, -1)).isEqualTo(-1);
  }

  @Test
  void datagramsSplitIntoMessagesAndErrorsCarryTheKernelsText() {
    // an NLMSG_ERROR (EEXIST) with a capped echo and an NLMSGERR_ATTR_MSG, then a DONE
    NlRequest err = new NlRequest(NlMessage.ERROR, 0x100 | 0x200);
    err.u32(-17);
    err.u32(32).u16(16).u16(0).u32(9).u32(0); // the original header, capped
    err.attrString(1, "Interface name exists");
    NlRequest done = new NlRequest(NlMessage.DONE, 0);
    done.u32(0);
    byte[] a = err.build(9);
    byte[] d = done.build(9);
    ByteBuffer both = ByteBuffer.allocate(a.length + d.length).put(a).put(d).flip();
    List<NlMessage> msgs = NetlinkSocket.split(both.order(ByteOrder.nativeOrder()));
    assertThat(msgs).extracting(NlMessage::type).containsExactly(NlMessage.ERROR, NlMessage.DONE);
    assertThatThrownBy(() -> NetlinkSocket.checkError(msgs.get(0), "RTM_NEWLINK veth", "silo0a"))
        .isInstanceOf(NetException.class)
        .hasMessage("RTM_NEWLINK veth silo0a: File exists (Interface name exists)")
        .extracting(e -> ((NetException) e).errno())
        .isEqualTo(17);
  }

  @Test
  void anAckIsNotAnError() {
    NlRequest ack = new NlRequest(NlMessage.ERROR, 0x100);
    ack.u32(0).u32(16).u16(16).u16(0).u32(3).u32(0);
    NlMessage m = NetlinkSocket.split(le(ack.build(3))).get(0);
    NetlinkSocket.checkError(m, "RTM_SETLINK", "x"); // does not throw
    assertThat(m.seq()).isEqualTo(3);
  }

  @Test
  void linkNamesAreCheckedBeforeTheKernelSeesThem() {
    assertThat(Links.checkName("silo0a")).isEqualTo("silo0a");
    assertThatThrownBy(() -> Links.checkName("sixteen-chars-xx")).hasMessageContaining("1-15");
    assertThatThrownBy(() -> Links.checkName("a/b")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Links.checkName("")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void macAddressesParseBothNotations() {
    MacAddress m = MacAddress.parse("02-42-AC-11-00-02");
    assertThat(m).isEqualTo(MacAddress.parse("02:42:ac:11:00:02"));
    assertThat(m.toString()).isEqualTo("02:42:ac:11:00:02");
    assertThat(m.bytes()).isEqualTo(HexFormat.of().parseHex("0242ac110002"));
    assertThatThrownBy(() -> MacAddress.parse("02:42:ac")).hasMessageContaining("02:42:ac");
  }

  @Test
  void prefixesParseAndCheckTheirLength() throws Exception {
    IpPrefix p = IpPrefix.parse("10.0.0.1/24");
    assertThat(p.address()).isEqualTo(InetAddress.getByName("10.0.0.1"));
    assertThat(p.length()).isEqualTo(24);
    assertThat(p.isIpv4()).isTrue();
    assertThat(p).hasToString("10.0.0.1/24");
    assertThat(IpPrefix.parse("fd00::5").length()).isEqualTo(128);
    assertThat(IpPrefix.parse("10.1.1.1").length()).isEqualTo(32);
    assertThatThrownBy(() -> IpPrefix.parse("10.0.0.0/33")).hasMessageContaining("0-32");
    assertThatThrownBy(() -> IpPrefix.parse("example.com/24"))
        .hasMessageContaining("not a numeric address");
  }

  @Test
  void vxlanSpecRejectsOutOfRangeValues() throws Exception {
    InetAddress local = InetAddress.getByName("192.0.2.1");
    assertThat(VxlanSpec.of("vx0", 4096, local, "eth0").dstPort()).isEqualTo(4789);
    assertThatThrownBy(() -> new VxlanSpec("vx0", 1 << 24, local, 4789, null, false, 0))
        .hasMessageContaining("VNI");
  }
}
