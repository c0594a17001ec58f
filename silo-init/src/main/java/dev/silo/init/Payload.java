package dev.silo.init;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/** Little-endian writer for step payloads and the plan header (docs/plan-format.md, "Encoding"). */
final class Payload {
  private byte[] buf = new byte[64];
  private int len;

  Payload u16(int v) {
    ensure(2);
    buf[len++] = (byte) v;
    buf[len++] = (byte) (v >>> 8);
    return this;
  }

  Payload u32(int v) {
    ensure(4);
    for (int i = 0; i < 4; i++) {
      buf[len++] = (byte) (v >>> (8 * i));
    }
    return this;
  }

  Payload u64(long v) {
    ensure(8);
    for (int i = 0; i < 8; i++) {
      buf[len++] = (byte) (v >>> (8 * i));
    }
    return this;
  }

  /** {@code str}: u32 length + UTF-8 bytes, no NUL (the helper copies it into a C string). */
  Payload str(String s) {
    if (s.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("NUL character in plan string: " + s.replace('\0', '@'));
    }
    return bytes(s.getBytes(StandardCharsets.UTF_8));
  }

  Payload strs(List<String> list) {
    u32(list.size());
    for (String s : list) {
      str(s);
    }
    return this;
  }

  Payload bytes(byte[] b) {
    u32(b.length);
    return raw(b);
  }

  Payload raw(byte[] b) {
    ensure(b.length);
    System.arraycopy(b, 0, buf, len, b.length);
    len += b.length;
    return this;
  }

  byte[] toArray() {
    return Arrays.copyOf(buf, len);
  }

  private void ensure(int n) {
    if (len + n > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
    }
  }
}
