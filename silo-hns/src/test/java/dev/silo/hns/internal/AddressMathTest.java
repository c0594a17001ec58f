package dev.silo.hns.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** CIDR, IPv4 and MAC parsing and arithmetic. */
class AddressMathTest {

  @Test
  void cidrParsesAndComputesRanges() {
    Cidr c = Cidr.parse("172.20.0.0/16");

    assertThat(Ipv4.format(c.broadcast())).isEqualTo("172.20.255.255");
    assertThat(Ipv4.format(c.firstHost())).isEqualTo("172.20.0.1");
    assertThat(c.contains(Ipv4.parse("172.20.9.9"))).isTrue();
    assertThat(c.contains(Ipv4.parse("172.21.0.0"))).isFalse();
    assertThat(c.isHost(c.network())).isFalse();
    assertThat(Cidr.parse("0.0.0.0/0").contains(Ipv4.parse("255.255.255.255"))).isTrue();
  }

  @Test
  void overlapIsSymmetric() {
    Cidr big = Cidr.parse("10.0.0.0/8");
    Cidr small = Cidr.parse("10.20.0.0/16");
    Cidr other = Cidr.parse("11.0.0.0/8");

    assertThat(big.overlaps(small)).isTrue();
    assertThat(small.overlaps(big)).isTrue();
    assertThat(big.overlaps(other)).isFalse();
  }

  @Test
  void badInputIsRejected() {
    assertThatThrownBy(() -> Ipv4.parse("1.2.3")).hasMessageContaining("not an IPv4 address");
    assertThatThrownBy(() -> Ipv4.parse("1.2.3.-4")).hasMessageContaining("not an IPv4 address");
    assertThatThrownBy(() -> Ipv4.parse("01.2.3.4444")).hasMessageContaining("not an IPv4 address");
    assertThatThrownBy(() -> Cidr.parse("10.0.0.0/")).hasMessageContaining("prefix length");
    assertThatThrownBy(() -> Cidr.parse("10.0.0.1/8"))
        .hasMessageContaining("host bits set in 10.0.0.1/8 (the prefix is 10.0.0.0/8)");
  }

  @Test
  void macsParseBothSpellingsAndFormatTheHnsWay() {
    assertThat(Mac.format(Mac.parse("00:15:5d:0a:0b:0c"))).isEqualTo("00-15-5D-0A-0B-0C");
    assertThat(Mac.parse("00-15-5D-00-00-00")).isEqualTo(Mac.HYPERV_OUI);
    assertThatThrownBy(() -> Mac.parse("00-15-5D-00-00")).hasMessageContaining("not a MAC address");
    assertThatThrownBy(() -> Mac.parse("00-15-5D-00-00-0G"))
        .hasMessageContaining("not a MAC address");
  }
}
