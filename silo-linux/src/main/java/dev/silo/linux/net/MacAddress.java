package dev.silo.linux.net;

import java.util.HexFormat;
import java.util.Locale;

/** A 48-bit Ethernet address, written {@code 02:42:ac:11:00:02} (HNS writes it with dashes). */
public record MacAddress(byte[] bytes) {
  private static final HexFormat HEX = HexFormat.ofDelimiter(":");

  /** Copies and checks the six bytes. */
  public MacAddress {
    if (bytes.length != 6) {
      throw new IllegalArgumentException("MAC address: 6 bytes expected, got " + bytes.length);
    }
    bytes = bytes.clone();
  }

  /** Parses {@code aa:bb:cc:dd:ee:ff} or the Windows form {@code AA-BB-CC-DD-EE-FF}. */
  public static MacAddress parse(String text) {
    String s = text.strip().replace('-', ':').toLowerCase(Locale.ROOT);
    if (!s.matches("([0-9a-f]{2}:){5}[0-9a-f]{2}")) {
      throw new IllegalArgumentException("MAC address '" + text + "': expected aa:bb:cc:dd:ee:ff");
    }
    return new MacAddress(HEX.parseHex(s));
  }

  @Override
  public byte[] bytes() {
    return bytes.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MacAddress m && java.util.Arrays.equals(bytes, m.bytes);
  }

  @Override
  public int hashCode() {
    return java.util.Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return HEX.formatHex(bytes);
  }
}
