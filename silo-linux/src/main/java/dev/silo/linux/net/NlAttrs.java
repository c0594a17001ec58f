package dev.silo.linux.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The attributes of one netlink message or nest, by type (last one wins, as in the kernel). */
final class NlAttrs {
  private final Map<Integer, ByteBuffer> byType = new HashMap<>();

  /** Parses attributes from {@code b}'s position to its limit. */
  static NlAttrs parse(ByteBuffer b) {
    NlAttrs attrs = new NlAttrs();
    ByteBuffer in = b.slice().order(ByteOrder.nativeOrder());
    while (in.remaining() >= 4) {
      int start = in.position();
      int len = Short.toUnsignedInt(in.getShort(start));
      int type = Short.toUnsignedInt(in.getShort(start + 2)) & 0x3fff;
      if (len < 4 || start + len > in.limit()) {
        break;
      }
      attrs.byType.put(type, in.slice(start + 4, len - 4).order(ByteOrder.nativeOrder()));
      in.position(Math.min(in.limit(), start + NlRequest.align(len)));
    }
    return attrs;
  }

  boolean has(int type) {
    return byType.containsKey(type);
  }

  @Nullable ByteBuffer raw(int type) {
    ByteBuffer b = byType.get(type);
    return b == null ? null : b.duplicate().order(ByteOrder.nativeOrder());
  }

  byte @Nullable [] bytes(int type) {
    ByteBuffer b = raw(type);
    if (b == null) {
      return null;
    }
    byte[] out = new byte[b.remaining()];
    b.get(out);
    return out;
  }

  int u8(int type, int dflt) {
    ByteBuffer b = raw(type);
    return b == null || b.remaining() < 1 ? dflt : Byte.toUnsignedInt(b.get(0));
  }

  int u16(int type, int dflt) {
    ByteBuffer b = raw(type);
    return b == null || b.remaining() < 2 ? dflt : Short.toUnsignedInt(b.getShort(0));
  }

  int u32(int type, int dflt) {
    ByteBuffer b = raw(type);
    return b == null || b.remaining() < 4 ? dflt : b.getInt(0);
  }

  /** A NUL-terminated string attribute. */
  @Nullable String string(int type) {
    byte[] b = bytes(type);
    if (b == null) {
      return null;
    }
    int n = 0;
    while (n < b.length && b[n] != 0) {
      n++;
    }
    return new String(b, 0, n, StandardCharsets.UTF_8);
  }

  @Nullable InetAddress address(int type) {
    byte[] b = bytes(type);
    if (b == null || (b.length != 4 && b.length != 16)) {
      return null;
    }
    try {
      return InetAddress.getByAddress(b);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  NlAttrs nested(int type) {
    ByteBuffer b = raw(type);
    return b == null ? new NlAttrs() : parse(b);
  }
}
