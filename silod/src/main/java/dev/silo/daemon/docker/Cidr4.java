package dev.silo.daemon.docker;

import org.jspecify.annotations.Nullable;

/** An IPv4 prefix, parsed strictly as Go's {@code netip.ParsePrefix} does (no host names). */
record Cidr4(int address, int bits) {
  static @Nullable Cidr4 parse(String s) {
    int slash = s.indexOf('/');
    if (slash < 0) {
      return null;
    }
    Integer addr = address(s.substring(0, slash));
    String b = s.substring(slash + 1);
    if (addr == null || !b.matches("[0-9]{1,2}")) {
      return null;
    }
    int bits = Integer.parseInt(b);
    return bits > 32 ? null : new Cidr4(addr, bits);
  }

  /** A dotted quad, or null. */
  static @Nullable Integer address(String s) {
    String[] p = s.split("\\.", -1);
    if (p.length != 4) {
      return null;
    }
    int v = 0;
    for (String x : p) {
      if (!x.matches("0|[1-9][0-9]{0,2}") || Integer.parseInt(x) > 255) {
        return null;
      }
      v = (v << 8) | Integer.parseInt(x);
    }
    return v;
  }

  /** Whether the text looks like an IPv6 prefix or address. */
  static boolean isV6(String s) {
    return s.contains(":");
  }

  int mask() {
    return bits == 0 ? 0 : -1 << (32 - bits);
  }

  Cidr4 masked() {
    return new Cidr4(address & mask(), bits);
  }

  boolean contains(int a) {
    return (a & mask()) == (address & mask());
  }

  boolean overlaps(Cidr4 o) {
    int m = bits < o.bits ? mask() : o.mask();
    return (address & m) == (o.address & m);
  }

  static String format(int a) {
    return ((a >>> 24) & 255)
        + "."
        + ((a >>> 16) & 255)
        + "."
        + ((a >>> 8) & 255)
        + "."
        + (a & 255);
  }

  @Override
  public String toString() {
    return format(address) + "/" + bits;
  }
}
