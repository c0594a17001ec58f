package dev.silo.hns.linux;

import dev.silo.hns.spi.DataplaneException;
import dev.silo.linux.net.IpPrefix;
import dev.silo.schema.hcn.HostComputeEndpoint;
import dev.silo.schema.hcn.IpConfig;
import dev.silo.schema.hcn.OutboundNatPolicySetting;
import dev.silo.schema.hcn.PortMappingPolicySetting;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The nft script of the nat driver: one table {@code ip silo} whose rules never change per network
 * or endpoint; networks are elements of the set {@code natnets} and port mappings elements of the
 * maps {@code ports} (host addresses) and {@code vports} (a given VIP), so every HNS change is an
 * O(change) element add or delete in one atomic batch.
 */
final class NatTable {
  static final String TABLE = "ip silo";

  /** Element comments name their endpoint, so inventory and orphan removal find them. */
  static final String OWNER = "ep:";

  private static final Pattern IPV4 =
      Pattern.compile("((25[0-5]|2[0-4]\\d|1?\\d?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1?\\d?\\d)");

  private NatTable() {}

  /**
   * Creates the table, sets, maps and chains if missing and (re)writes the fixed rules; idempotent
   * because the chains are flushed and refilled in the same atomic transaction.
   *
   * <p>DNAT without a VIP applies only to local destinations ({@code fib daddr type local}), as
   * WinNAT maps host addresses only; output repeats prerouting so the host's own processes reach a
   * mapping too. {@code 127.0.0.0/8} sources going to a nat subnet are masqueraded so a connection
   * to {@code 127.0.0.1:PORT} gets replies (with route_localnet on the bridge).
   */
  static String ensure() {
    String dnat =
        "fib daddr type local dnat ip to meta l4proto . th dport map @ports\n"
            + "add rule ip silo %1$s dnat ip to ip daddr . meta l4proto . th dport map @vports\n";
    return "add table ip silo\n"
        + "add set ip silo natnets { type ipv4_addr; flags interval; }\n"
        + "add map ip silo ports { type inet_proto . inet_service : ipv4_addr . inet_service; }\n"
        + "add map ip silo vports { type ipv4_addr . inet_proto . inet_service"
        + " : ipv4_addr . inet_service; }\n"
        + "add set ip silo natexcept { type ipv4_addr . ipv4_addr; flags interval; }\n"
        + "add chain ip silo prerouting { type nat hook prerouting priority dstnat; }\n"
        + "add chain ip silo output { type nat hook output priority -100; }\n"
        + "add chain ip silo postrouting { type nat hook postrouting priority srcnat; }\n"
        + "flush chain ip silo prerouting\n"
        + "flush chain ip silo output\n"
        + "flush chain ip silo postrouting\n"
        + "add rule ip silo prerouting "
        + String.format(Locale.ROOT, dnat, "prerouting")
        + "add rule ip silo output "
        + String.format(Locale.ROOT, dnat, "output")
        + "add rule ip silo postrouting ip saddr . ip daddr @natexcept return\n"
        + "add rule ip silo postrouting ip saddr @natnets ip daddr != @natnets masquerade\n"
        + "add rule ip silo postrouting ip saddr 127.0.0.0/8 ip daddr @natnets masquerade\n";
  }

  static String addSubnet(String cidr) {
    return "add element ip silo natnets { " + cidr + " }\n";
  }

  static String deleteSubnet(String cidr) {
    return "delete element ip silo natnets { " + cidr + " }\n";
  }

  /**
   * One element of a set or map of the table: a port mapping ({@code ports}/{@code vports}, with a
   * value) or an OutBoundNAT exception ({@code natexcept}, endpoint address . destination prefix).
   */
  record Element(String set, String key, @Nullable String value, String owner) {
    String add() {
      String comment = " comment \"" + OWNER + owner + "\"";
      return "add element ip silo "
          + set
          + " { "
          + key
          + comment
          + (value == null ? "" : " : " + value)
          + " }\n";
    }

    String delete() {
      return "delete element ip silo " + set + " { " + key + " }\n";
    }
  }

  /**
   * The endpoint's kernel elements: its PortMapping policies as DNAT map elements and its
   * OutBoundNAT Exceptions as masquerade exceptions (empty without an IPv4 address).
   */
  static Set<Element> elements(HostComputeEndpoint ep) throws DataplaneException {
    String address = ipv4(ep);
    String owner = owner(ep);
    Set<Element> out = new LinkedHashSet<>();
    if (address == null) {
      return out;
    }
    for (PortMappingPolicySetting p : ep.policySettings(PortMappingPolicySetting.class)) {
      out.add(portMap(ep, p, address, owner));
    }
    for (OutboundNatPolicySetting o : ep.policySettings(OutboundNatPolicySetting.class)) {
      for (String exception : o.exceptions()) {
        out.add(new Element("natexcept", address + " . " + prefix(exception), null, owner));
      }
    }
    return out;
  }

  private static Element portMap(
      HostComputeEndpoint ep, PortMappingPolicySetting p, String address, String owner)
      throws DataplaneException {
    Integer ext = p.externalPort();
    Integer in = p.internalPort();
    if (ext == null || in == null) {
      throw new DataplaneException("PortMapping of endpoint " + ep.id() + ": ports missing");
    }
    String vip = p.vip() == null || p.vip().isBlank() ? null : p.vip().strip();
    if (vip != null && !IPV4.matcher(vip).matches()) {
      throw new DataplaneException("PortMapping VIP '" + vip + "': not an IPv4 address");
    }
    String key = (vip == null ? "" : vip + " . ") + proto(p.protocol()) + " . " + ext;
    return new Element(
        vip == null ? "ports" : "vports", key, address + " . " + (in == 0 ? ext : in), owner);
  }

  /** The endpoint id as the elements' owner comment, checked: it goes into an nft script. */
  private static String owner(HostComputeEndpoint ep) throws DataplaneException {
    String id = String.valueOf(ep.id()).toLowerCase(Locale.ROOT);
    if (!id.matches("[0-9a-f-]{1,64}")) {
      throw new DataplaneException("endpoint id '" + ep.id() + "': not a GUID");
    }
    return id;
  }

  /** An exception prefix checked (it goes into an nft script) and normalized. */
  private static String prefix(String text) throws DataplaneException {
    IpPrefix p = Addressing.parse(text.strip());
    if (!p.isIpv4()) {
      throw new DataplaneException("OutBoundNAT exception " + text + ": only IPv4");
    }
    return Addressing.normalize(p).toString();
  }

  /** The endpoint's first IPv4 address, or null. */
  static @Nullable String ipv4(HostComputeEndpoint ep) {
    for (IpConfig ip : ep.ipConfigurations()) {
      if (ip.ipAddress() != null && IPV4.matcher(ip.ipAddress()).matches()) {
        return ip.ipAddress();
      }
    }
    return null;
  }

  private static String proto(@Nullable Integer protocol) throws DataplaneException {
    int p = protocol == null ? 6 : protocol;
    return switch (p) {
      case 6 -> "tcp";
      case 17 -> "udp";
      default -> throw new DataplaneException("PortMapping Protocol " + p + ": only 6 and 17");
    };
  }
}
