package dev.silo.linux.net;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import org.jspecify.annotations.Nullable;

/**
 * A key or data value as nft encodes a concatenation: each field in its own 4-byte-aligned slot
 * (addresses and ports in network order, integers from expressions like {@code numgen} in host
 * order), with the text nft prints for it (rendered only when asked: a full sync builds hundreds of
 * thousands).
 */
public final class NftConcat {
  private static final VarHandle NATIVE_INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.nativeOrder());

  private static final byte IPV4 = 1;
  private static final byte PROTO = 2;
  private static final byte PORT = 3;
  private static final byte U32 = 4;

  /** NFT_DATA_VALUE_MAXLEN. */
  private static final int MAX = 64;

  private byte[] bytes = new byte[16];
  private int len;
  private byte[] kinds = new byte[4];
  private int fields;

  private NftConcat() {}

  /** An empty concatenation to add fields to. */
  public static NftConcat of() {
    return new NftConcat();
  }

  /** An IPv4 address ({@code ipv4_addr}, {@code ip daddr}) in dotted form. */
  public NftConcat ipv4(String dotted) {
    int at = 0;
    int[] octets = new int[4];
    for (int i = 0; i < 4; i++) {
      int end = i < 3 ? dotted.indexOf('.', at) : dotted.length();
      if (end < 0) {
        throw new IllegalArgumentException("'" + dotted + "' is not an IPv4 address");
      }
      octets[i] = octet(dotted, at, end);
      at = end + 1;
    }
    int p = field(IPV4);
    for (int i = 0; i < 4; i++) {
      bytes[p + i] = (byte) octets[i];
    }
    return this;
  }

  /** A layer-4 protocol number ({@code inet_proto}, {@code meta l4proto}). */
  public NftConcat proto(int protocol) {
    if (protocol < 0 || protocol > 255) {
      throw new IllegalArgumentException("protocol " + protocol + ": not 0..255");
    }
    bytes[field(PROTO)] = (byte) protocol;
    return this;
  }

  /** A port ({@code inet_service}, {@code th dport}), big-endian. */
  public NftConcat port(int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port " + port + ": not 0..65535");
    }
    int p = field(PORT);
    bytes[p] = (byte) (port >> 8);
    bytes[p + 1] = (byte) port;
    return this;
  }

  /** A 32-bit integer in host order, what {@code numgen} and {@code jhash} produce. */
  public NftConcat u32(int value) {
    int p = field(U32);
    NATIVE_INT.set(bytes, p, value);
    return this;
  }

  byte[] bytes() {
    return java.util.Arrays.copyOf(bytes, len);
  }

  /** The backing array; its first {@link #length} bytes are the value. */
  byte[] raw() {
    return bytes;
  }

  int length() {
    return len;
  }

  /** Appends a zeroed 4-byte slot of {@code kind}; returns where it starts. */
  private int field(byte kind) {
    if (len + 4 > MAX) {
      throw new IllegalArgumentException("concatenation longer than " + MAX + " bytes: " + this);
    }
    if (len + 4 > bytes.length) {
      bytes = java.util.Arrays.copyOf(bytes, MAX);
    }
    if (fields == kinds.length) {
      kinds = java.util.Arrays.copyOf(kinds, MAX / 4);
    }
    kinds[fields++] = kind;
    int at = len;
    len += 4;
    return at;
  }

  private static int octet(String dotted, int from, int to) {
    int n = to - from;
    int b = 0;
    for (int i = from; i < to; i++) {
      char ch = dotted.charAt(i);
      if (ch < '0' || ch > '9') {
        n = 0;
        break;
      }
      b = b * 10 + (ch - '0');
    }
    if (n < 1 || n > 3 || b > 255) {
      throw new IllegalArgumentException("'" + dotted + "' is not an IPv4 address");
    }
    return b;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof NftConcat c
        && java.util.Arrays.equals(bytes, 0, len, c.bytes, 0, c.len)
        && java.util.Arrays.equals(kinds, 0, fields, c.kinds, 0, c.fields);
  }

  @Override
  public int hashCode() {
    int h = 1;
    for (int i = 0; i < len; i++) {
      h = 31 * h + bytes[i];
    }
    return h;
  }

  /** The value as nft prints it, e.g. {@code 10.96.0.1 . tcp . 80 . 3}. */
  @Override
  public String toString() {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < fields; i++) {
      int p = i * 4;
      if (i > 0) {
        b.append(" . ");
      }
      switch (kinds[i]) {
        case IPV4 ->
            b.append(bytes[p] & 0xff)
                .append('.')
                .append(bytes[p + 1] & 0xff)
                .append('.')
                .append(bytes[p + 2] & 0xff)
                .append('.')
                .append(bytes[p + 3] & 0xff);
        case PROTO -> {
          int proto = bytes[p] & 0xff;
          b.append(proto == 6 ? "tcp" : proto == 17 ? "udp" : Integer.toString(proto));
        }
        case PORT -> b.append(((bytes[p] & 0xff) << 8) | (bytes[p + 1] & 0xff));
        default -> b.append(Integer.toUnsignedString((int) NATIVE_INT.get(bytes, p)));
      }
    }
    return b.toString();
  }
}
