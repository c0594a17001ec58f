package dev.silo.linux.net;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** A 48-bit Ethernet address, written {@code 02:42:ac:11:00:02} (HNS writes it with dashes). */
public final class MacAddress {
  private static final HexFormat HEX = HexFormat.ofDelimiter(":");
  private static final Pattern FORM = Pattern.compile("([0-9a-f]{2}:){5}[0-9a-f]{2}");

  private final byte[] bytes;

  /** Copies and checks the six bytes. */
  public MacAddress(byte[] bytes) {
    if (bytes.length != 6) {
      throw new IllegalArgumentException("MAC address: 6 bytes expected, got " + bytes.length);
    }
    this.bytes = bytes.clone();
  }

  /** Parses {@code aa:bb:cc:dd:ee:ff} or the Windows form {@code AA-BB-CC-DD-EE-FF}. */
  public static MacAddress parse(String text) {
    String s = text.strip().replace('-', ':').toLowerCase(Locale.ROOT);
    if (!FORM.matcher(s).matches()) {
      throw new IllegalArgumentException("MAC address '" + text + "': expected aa:bb:cc:dd:ee:ff");
    }
    return new MacAddress(HEX.parseHex(s));
  }

  /** A copy of the six bytes. */
  public byte[] bytes() {
    return bytes.clone();
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof MacAddress m && Arrays.equals(bytes, m.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return HEX.formatHex(bytes);
  }
}
