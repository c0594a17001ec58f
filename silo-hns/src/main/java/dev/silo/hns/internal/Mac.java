package dev.silo.hns.internal;

import java.util.Locale;

/** MAC addresses as 48-bit longs, written the HNS way: upper-case hex pairs joined by dashes. */
final class Mac {
  /** Hyper-V's OUI; HNS hands out endpoint MACs from 00-15-5D-…. */
  static final long HYPERV_OUI = 0x00155DL << 24;

  private Mac() {}

  /** Parses {@code 00-15-5D-01-02-03} or {@code 00:15:5d:01:02:03}. */
  static long parse(String text) {
    String[] parts = text.split("[-:]", -1);
    if (parts.length != 6) {
      throw new IllegalArgumentException("not a MAC address: " + text);
    }
    long value = 0;
    for (String p : parts) {
      if (p.length() != 2 || !p.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
        throw new IllegalArgumentException("not a MAC address: " + text);
      }
      value = (value << 8) | Integer.parseInt(p, 16);
    }
    return value;
  }

  static String format(long mac) {
    StringBuilder sb = new StringBuilder(17);
    for (int shift = 40; shift >= 0; shift -= 8) {
      if (sb.length() > 0) {
        sb.append('-');
      }
      sb.append(String.format(Locale.ROOT, "%02X", (mac >>> shift) & 0xff));
    }
    return sb.toString();
  }
}
