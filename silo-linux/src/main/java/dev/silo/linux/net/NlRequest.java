package dev.silo.linux.net;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Builds one netlink message: the 16-byte {@code nlmsghdr}, a fixed family header, then
 * 4-byte-aligned attributes, possibly nested.
 */
final class NlRequest {
  static final int F_REQUEST = 0x1;
  static final int F_ACK = 0x4;
  static final int F_DUMP = 0x300;
  static final int F_REPLACE = 0x100;
  static final int F_EXCL = 0x200;
  static final int F_CREATE = 0x400;
  static final int F_APPEND = 0x800;
  static final int NLA_F_NESTED = 0x8000;

  private ByteBuffer buf = ByteBuffer.allocate(256).order(ByteOrder.nativeOrder());
  private final int type;

  NlRequest(int type, int flags) {
    this.type = type;
    buf.putInt(0).putShort((short) type).putShort((short) (flags | F_REQUEST)).putInt(0).putInt(0);
  }

  int type() {
    return type;
  }

  NlRequest u8(int v) {
    ensure(1).put((byte) v);
    return this;
  }

  NlRequest u16(int v) {
    ensure(2).putShort((short) v);
    return this;
  }

  NlRequest u32(int v) {
    ensure(4).putInt(v);
    return this;
  }

  NlRequest attr(int attrType, byte[] value) {
    int len = 4 + value.length;
    ensure(align(len)).putShort((short) len).putShort((short) attrType).put(value);
    pad();
    return this;
  }

  NlRequest attrU8(int attrType, int v) {
    return attr(attrType, new byte[] {(byte) v});
  }

  NlRequest attrU16(int attrType, int v) {
    return attr(
        attrType,
        ByteBuffer.allocate(2).order(ByteOrder.nativeOrder()).putShort((short) v).array());
  }

  /** A big-endian 16-bit value, e.g. a UDP port ({@code IFLA_VXLAN_PORT}). */
  NlRequest attrU16be(int attrType, int v) {
    return attr(attrType, new byte[] {(byte) (v >> 8), (byte) v});
  }

  NlRequest attrU32(int attrType, int v) {
    return attr(attrType, ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(v).array());
  }

  /** A NUL-terminated string, as the kernel expects names and kinds. */
  NlRequest attrString(int attrType, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    return attr(attrType, Arrays.copyOf(b, b.length + 1));
  }

  NlRequest attrAddr(int attrType, InetAddress a) {
    return attr(attrType, a.getAddress());
  }

  /** Opens a nested attribute; close it with {@link #end(int)}. */
  int begin(int attrType) {
    int start = buf.position();
    ensure(4).putShort((short) 0).putShort((short) (attrType | NLA_F_NESTED));
    return start;
  }

  /** Opens a nested attribute without the NESTED flag (what veth's peer info carries). */
  int beginPlain(int attrType) {
    int start = buf.position();
    ensure(4).putShort((short) 0).putShort((short) attrType);
    return start;
  }

  NlRequest end(int start) {
    buf.putShort(start, (short) (buf.position() - start));
    return this;
  }

  /** The finished bytes with length and sequence number set. */
  byte[] build(int seq) {
    int len = buf.position();
    byte[] out = new byte[len];
    buf.get(0, out);
    ByteBuffer b = ByteBuffer.wrap(out).order(ByteOrder.nativeOrder());
    b.putInt(0, len);
    b.putInt(8, seq);
    return out;
  }

  static int align(int len) {
    return (len + 3) & ~3;
  }

  private void pad() {
    while ((buf.position() & 3) != 0) {
      buf.put((byte) 0);
    }
  }

  private ByteBuffer ensure(int more) {
    if (buf.remaining() < more + 4) {
      ByteBuffer bigger =
          ByteBuffer.allocate(Math.max(buf.capacity() * 2, buf.position() + more + 64))
              .order(ByteOrder.nativeOrder());
      buf.flip();
      bigger.put(buf);
      buf = bigger;
    }
    return buf;
  }
}
