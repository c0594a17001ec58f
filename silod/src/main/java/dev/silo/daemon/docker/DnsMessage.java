package dev.silo.daemon.docker;

import java.io.ByteArrayOutputStream;
import java.net.Inet4Address;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The subset of the DNS wire format (RFC 1035) that the embedded resolver needs: one question in, A
 * records or an rcode out. Hand-written because the answer side is a few dozen lines; a full DNS
 * library would bring far more than this uses.
 */
final class DnsMessage {
  static final int TYPE_A = 1;
  static final int TYPE_AAAA = 28;
  static final int CLASS_IN = 1;

  static final int NOERROR = 0;
  static final int FORMERR = 1;
  static final int NXDOMAIN = 3;
  static final int NOTIMP = 4;
  static final int REFUSED = 5;

  private static final int HEADER = 12;

  private DnsMessage() {}

  /**
   * One query.
   *
   * @param id the transaction id
   * @param flags the header's second 16 bits (opcode, RD)
   * @param name the question's name, lower case, without the trailing dot ("" for the root)
   * @param question the question section as sent, echoed in the answer
   * @param valid whether the message had exactly one well-formed question of a standard query
   */
  record Query(
      int id, int flags, String name, int type, int qclass, byte[] question, boolean valid) {

    int opcode() {
      return (flags >> 11) & 0xF;
    }
  }

  /**
   * Reads a query; null when it is too short to answer at all (no header) or is itself a response.
   * A message whose question cannot be read comes back with {@code valid} false (FORMERR).
   */
  static @Nullable Query parse(byte[] b, int len) {
    if (len < HEADER) {
      return null;
    }
    int id = u16(b, 0);
    int flags = u16(b, 2);
    if ((flags & 0x8000) != 0) {
      return null; // a response: never answer one, so two resolvers cannot loop
    }
    int qdcount = u16(b, 4);
    Query bad = new Query(id, flags, "", 0, 0, new byte[0], false);
    if (qdcount != 1) {
      return bad;
    }
    StringBuilder name = new StringBuilder();
    int p = HEADER;
    while (true) {
      if (p >= len) {
        return bad;
      }
      int l = b[p] & 0xFF;
      p++;
      if (l == 0) {
        break;
      }
      if ((l & 0xC0) != 0 || p + l > len || name.length() + l + 1 > 255) {
        return bad; // no compression pointers in a question; labels up to 63 bytes
      }
      if (!name.isEmpty()) {
        name.append('.');
      }
      name.append(new String(b, p, l, StandardCharsets.ISO_8859_1));
      p += l;
    }
    if (p + 4 > len) {
      return bad;
    }
    int type = u16(b, p);
    int qclass = u16(b, p + 2);
    p += 4;
    byte[] question = new byte[p - HEADER];
    System.arraycopy(b, HEADER, question, 0, question.length);
    return new Query(
        id, flags, name.toString().toLowerCase(Locale.ROOT), type, qclass, question, true);
  }

  /**
   * The answer to {@code q}: its question echoed, then one A record per address with {@code ttl}
   * (empty unless {@code rcode} is NOERROR). RD is copied, RA set, as dockerd's resolver does.
   */
  static byte[] answer(Query q, int rcode, List<Inet4Address> addresses, int ttl) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(512);
    boolean echo = q.valid();
    int flags = 0x8000 | (q.flags() & 0x7900) | 0x0080 | (rcode & 0xF); // QR, opcode+RD, RA
    List<Inet4Address> an = rcode == NOERROR && echo ? addresses : List.of();
    u16(out, q.id());
    u16(out, flags);
    u16(out, echo ? 1 : 0);
    u16(out, an.size());
    u16(out, 0);
    u16(out, 0);
    if (echo) {
      out.writeBytes(q.question());
    }
    for (Inet4Address a : an) {
      u16(out, 0xC000 | HEADER); // the name is the question's
      u16(out, TYPE_A);
      u16(out, CLASS_IN);
      u16(out, ttl >>> 16);
      u16(out, ttl & 0xFFFF);
      u16(out, 4);
      out.writeBytes(a.getAddress());
    }
    return out.toByteArray();
  }

  private static int u16(byte[] b, int p) {
    return ((b[p] & 0xFF) << 8) | (b[p + 1] & 0xFF);
  }

  private static void u16(ByteArrayOutputStream out, int v) {
    out.write((v >> 8) & 0xFF);
    out.write(v & 0xFF);
  }
}
