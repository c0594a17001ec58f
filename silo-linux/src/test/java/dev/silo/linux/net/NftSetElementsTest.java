package dev.silo.linux.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.silo.linux.net.NftSetElements.Element;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** How elements are encoded and checked, without a kernel. */
class NftSetElementsTest {
  @Test
  void concatenationPadsEachFieldToFourBytesAsNftDoes() {
    NftConcat key = NftConcat.of().ipv4("10.96.1.2").proto(17).port(8080).u32(3);
    byte[] slot = ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(3).array();
    assertThat(key.bytes())
        .containsExactly(
            10, 96, 1, 2, 17, 0, 0, 0, 0x1f, (byte) 0x90, 0, 0, slot[0], slot[1], slot[2], slot[3]);
    assertThat(key).hasToString("10.96.1.2 . udp . 8080 . 3");
    assertThat(key).isEqualTo(NftConcat.of().ipv4("10.96.1.2").proto(17).port(8080).u32(3));
    Element e = new Element("r1", key, NftConcat.of().ipv4("172.31.0.2").port(80), "lb:x");
    assertThat(e.text()).isEqualTo("10.96.1.2 . udp . 8080 . 3 comment \"lb:x\" : 172.31.0.2 . 80");
  }

  @Test
  void badInputIsRefusedBeforeAnythingIsSent() {
    assertThatThrownBy(() -> NftConcat.of().ipv4("10.0.0.256"))
        .hasMessage("'10.0.0.256' is not an IPv4 address");
    assertThatThrownBy(() -> NftConcat.of().ipv4("10.0.0"))
        .hasMessage("'10.0.0' is not an IPv4 address");
    assertThatThrownBy(() -> NftConcat.of().port(70000)).hasMessage("port 70000: not 0..65535");
    assertThatThrownBy(() -> NftConcat.of().proto(256)).hasMessage("protocol 256: not 0..255");
    NftConcat k = NftConcat.of().port(1);
    assertThatThrownBy(() -> new Element("fronts", k, null, "a\"b"))
        .hasMessage("element comment 'a\"b': not allowed");
    assertThatThrownBy(() -> new Element("bad name", k, null, null))
        .hasMessageContaining("not a plain name");
    NftConcat big = NftConcat.of();
    for (int i = 0; i < 16; i++) {
      big.u32(i);
    }
    assertThatThrownBy(() -> big.u32(16)).hasMessageStartingWith("concatenation longer than 64");
  }
}
