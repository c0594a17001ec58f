package dev.silo.daemon.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/** The DNS wire format subset of the embedded resolver, byte for byte against RFC 1035. */
class DnsMessageTest {
  /** A query as busybox nslookup sends it: id, RD, one question. */
  static byte[] query(int id, int flags, int qdcount, String name, int type) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) (id >> 8), (byte) id, (byte) (flags >> 8), (byte) flags});
    out.writeBytes(new byte[] {0, (byte) qdcount, 0, 0, 0, 0, 0, 0});
    for (String label : name.split("\\.")) {
      out.write(label.length());
      out.writeBytes(label.getBytes(StandardCharsets.US_ASCII));
    }
    out.writeBytes(new byte[] {0, 0, (byte) type, 0, 1});
    return out.toByteArray();
  }

  private static DnsMessage.Query parsed(byte[] b) {
    return Objects.requireNonNull(DnsMessage.parse(b, b.length));
  }

  private static Inet4Address v4(String s) throws Exception {
    return (Inet4Address) InetAddress.getByName(s);
  }

  @Test
  void aQuestionIsReadWithItsNameInLowerCase() {
    byte[] q = query(0x1234, 0x0100, 1, "Web.N1", DnsMessage.TYPE_A);
    DnsMessage.Query p = parsed(q);
    assertThat(p.valid()).isTrue();
    assertThat(p.id()).isEqualTo(0x1234);
    assertThat(p.name()).isEqualTo("web.n1");
    assertThat(p.type()).isEqualTo(DnsMessage.TYPE_A);
    assertThat(p.qclass()).isEqualTo(DnsMessage.CLASS_IN);
    assertThat(p.opcode()).isZero();
    assertThat(p.question()).isEqualTo(Arrays.copyOfRange(q, 12, q.length));
  }

  @Test
  void anAnswerCarriesTheQuestionAndOneARecordPerAddress() throws Exception {
    byte[] q = query(0xBEEF, 0x0100, 1, "web", DnsMessage.TYPE_A);
    DnsMessage.Query p = parsed(q);
    byte[] a =
        DnsMessage.answer(p, DnsMessage.NOERROR, List.of(v4("10.1.0.2"), v4("10.1.0.3")), 600);
    String hex = HexFormat.of().formatHex(a);
    // id, QR+RD+RA, 1 question, 2 answers, no authority/additional
    assertThat(hex).startsWith("beef8180" + "0001" + "0002" + "0000" + "0000");
    assertThat(hex)
        .isEqualTo(
            "beef818000010002000000000377656200"
                + "00010001"
                // pointer to the question name, A, IN, TTL 600, 4 bytes, the address
                + "c00c00010001000002580004"
                + "0a010002"
                + "c00c00010001000002580004"
                + "0a010003");
  }

  @Test
  void aRefusalOrUnknownNameHasTheRcodeAndNoAnswers() throws Exception {
    byte[] q = query(7, 0x0100, 1, "nope", DnsMessage.TYPE_A);
    DnsMessage.Query p = parsed(q);
    byte[] nx = DnsMessage.answer(p, DnsMessage.NXDOMAIN, List.of(v4("10.0.0.1")), 600);
    assertThat(HexFormat.of().formatHex(nx, 0, 12)).isEqualTo("000781830001000000000000");
    assertThat(nx).hasSize(q.length);
    byte[] refused = DnsMessage.answer(p, DnsMessage.REFUSED, List.of(), 0);
    assertThat(refused[3] & 0xF).isEqualTo(5);
  }

  @Test
  void responsesAndRuntsAreNotAnswered() {
    byte[] q = query(1, 0x8180, 1, "web", DnsMessage.TYPE_A);
    assertThat(DnsMessage.parse(q, q.length)).isNull();
    assertThat(DnsMessage.parse(new byte[11], 11)).isNull();
  }

  @Test
  void malformedQuestionsAreFormatErrorsWithoutAQuestion() {
    byte[] two = query(9, 0x0100, 2, "web", DnsMessage.TYPE_A);
    byte[] cut = Arrays.copyOf(query(9, 0x0100, 1, "web", DnsMessage.TYPE_A), 16);
    byte[] pointer = query(9, 0x0100, 1, "web", DnsMessage.TYPE_A);
    pointer[12] = (byte) 0xC0;
    for (byte[] b : List.of(two, cut, pointer)) {
      DnsMessage.Query p = parsed(b);
      assertThat(p.valid()).isFalse();
      byte[] a = DnsMessage.answer(p, DnsMessage.FORMERR, List.of(), 0);
      assertThat(HexFormat.of().formatHex(a)).isEqualTo("000981810000000000000000");
    }
  }
}
