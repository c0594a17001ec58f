package dev.silo.linux.net;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** An address with a prefix length, {@code 10.0.0.1/24} (HNS's {@code AddressPrefix}). */
public record IpPrefix(InetAddress address, int length) {
  /** Checks the length against the family (0-32 or 0-128). */
  public IpPrefix {
    int max = address instanceof Inet4Address ? 32 : 128;
    if (length < 0 || length > max) {
      throw new IllegalArgumentException(
          "prefix length " + length + " of " + address.getHostAddress() + ": must be 0-" + max);
    }
  }

  /** Parses {@code ADDR/LEN}; a bare address gets the full length (/32 or /128). */
  public static IpPrefix parse(String text) {
    int slash = text.indexOf('/');
    String addr = slash < 0 ? text : text.substring(0, slash);
    if (!addr.matches("[0-9a-fA-F:.]+")) {
      throw new IllegalArgumentException("IP prefix '" + text + "': not a numeric address");
    }
    InetAddress a;
    try {
      a = InetAddress.getByName(addr); // numeric only (checked above): no DNS lookup happens
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("IP prefix '" + text + "': " + e.getMessage(), e);
    }
    int max = a instanceof Inet4Address ? 32 : 128;
    if (slash < 0) {
      return new IpPrefix(a, max);
    }
    try {
      return new IpPrefix(a, Integer.parseInt(text.substring(slash + 1)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("IP prefix '" + text + "': bad length", e);
    }
  }

  /** Whether this is IPv4. */
  public boolean isIpv4() {
    return address instanceof Inet4Address;
  }

  @Override
  public String toString() {
    return address.getHostAddress() + "/" + length;
  }
}
