package dev.silo.linux.net;

import java.net.InetAddress;
import org.jspecify.annotations.Nullable;

/**
 * A VXLAN device for an HNS overlay network (VNI = the subnet's VSID).
 *
 * @param local source address of the tunnel (the host's provider address), null to let routing pick
 * @param dstPort UDP port, 4789 (IANA) unless the network sets {@code VxlanPort}
 * @param device underlay device name, null for none
 * @param learning false for HNS: remote MACs come only as static FDB entries
 * @param ttl outer TTL, 0 = inherit
 * @param proxy answer ARP requests from the device's own neighbour table instead of flooding them
 *     (HNS: remote endpoints are permanent neighbours, and VFP likewise answers ARP locally)
 */
public record VxlanSpec(
    String name,
    int vni,
    @Nullable InetAddress local,
    int dstPort,
    @Nullable String device,
    boolean learning,
    int ttl,
    boolean proxy) {
  /** Checks ranges. */
  public VxlanSpec {
    if (vni < 0 || vni > 0xffffff) {
      throw new IllegalArgumentException("vxlan " + name + ": VNI " + vni + " not in 0-16777215");
    }
    if (dstPort < 1 || dstPort > 65535) {
      throw new IllegalArgumentException("vxlan " + name + ": port " + dstPort + " not in 1-65535");
    }
    if (ttl < 0 || ttl > 255) {
      throw new IllegalArgumentException("vxlan " + name + ": ttl " + ttl + " not in 0-255");
    }
  }

  /** A device without ARP proxying. */
  public VxlanSpec(
      String name,
      int vni,
      @Nullable InetAddress local,
      int dstPort,
      @Nullable String device,
      boolean learning,
      int ttl) {
    this(name, vni, local, dstPort, device, learning, ttl, false);
  }

  /** This spec with ARP proxying on or off. */
  public VxlanSpec withProxy(boolean on) {
    return new VxlanSpec(name, vni, local, dstPort, device, learning, ttl, on);
  }

  /** The HNS defaults: port 4789, no learning, inherited TTL. */
  public static VxlanSpec of(String name, int vni, InetAddress local, String device) {
    return new VxlanSpec(name, vni, local, 4789, device, false, 0);
  }
}
