package dev.silo.hns.internal;

/**
 * An IPv4 prefix such as {@code 172.20.0.0/16}: the network address (host bits zero) and the prefix
 * length.
 *
 * @param network network address
 * @param prefix prefix length, 0 to 32
 */
record Cidr(int network, int prefix) {

  /** Parses {@code a.b.c.d/n}; host bits must be zero, as HNS requires of a subnet prefix. */
  static Cidr parse(String text) {
    int slash = text.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException("not a CIDR prefix (no /length): " + text);
    }
    int address = Ipv4.parse(text.substring(0, slash));
    String len = text.substring(slash + 1);
    if (len.isEmpty() || len.length() > 2 || !len.chars().allMatch(Character::isDigit)) {
      throw new IllegalArgumentException("not a CIDR prefix length: " + text);
    }
    int prefix = Integer.parseInt(len);
    if (prefix > 32) {
      throw new IllegalArgumentException("prefix length above 32: " + text);
    }
    Cidr cidr = new Cidr(address & mask(prefix), prefix);
    if (cidr.network != address) {
      throw new IllegalArgumentException(
          "host bits set in " + text + " (the prefix is " + cidr + ")");
    }
    return cidr;
  }

  static int mask(int prefix) {
    return prefix == 0 ? 0 : -1 << (32 - prefix);
  }

  int broadcast() {
    return network | ~mask(prefix);
  }

  boolean contains(int address) {
    return (address & mask(prefix)) == network;
  }

  boolean overlaps(Cidr other) {
    int shorter = Math.min(prefix, other.prefix);
    return (network & mask(shorter)) == (other.network & mask(shorter));
  }

  /** First usable host address (the network address + 1). */
  int firstHost() {
    return network + 1;
  }

  /** Whether the address can be given to a host: inside, not the network or broadcast address. */
  boolean isHost(int address) {
    return contains(address) && address != network && address != broadcast();
  }

  @Override
  public String toString() {
    return Ipv4.format(network) + "/" + prefix;
  }
}
