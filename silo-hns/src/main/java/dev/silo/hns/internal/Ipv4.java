package dev.silo.hns.internal;

/**
 * IPv4 addresses as unsigned 32-bit values held in an int, parsed strictly (four decimal octets).
 */
final class Ipv4 {
  private Ipv4() {}

  /** Parses {@code a.b.c.d}; throws IllegalArgumentException naming the text otherwise. */
  static int parse(String text) {
    String[] parts = text.split("\\.", -1);
    if (parts.length != 4) {
      throw new IllegalArgumentException("not an IPv4 address: " + text);
    }
    int value = 0;
    for (String p : parts) {
      if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) {
        throw new IllegalArgumentException("not an IPv4 address: " + text);
      }
      int octet = Integer.parseInt(p);
      if (octet > 255) {
        throw new IllegalArgumentException("not an IPv4 address: " + text);
      }
      value = (value << 8) | octet;
    }
    return value;
  }

  static String format(int address) {
    return (address >>> 24)
        + "."
        + ((address >>> 16) & 0xff)
        + "."
        + ((address >>> 8) & 0xff)
        + "."
        + (address & 0xff);
  }
}
