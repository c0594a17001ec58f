package dev.silo.linux.net;

import org.jspecify.annotations.Nullable;

/**
 * An IP route ({@code ip route}): HNS's SDN/remote-subnet routes and per-endpoint /32s.
 *
 * @param dst destination, {@code 0.0.0.0/0} for the default route
 * @param gateway next hop, null for a directly connected route
 * @param device output device, null if the kernel picks it from the gateway
 * @param onlink pretend the gateway is on-link even without a matching subnet (flannel-vxlan)
 * @param table routing table, {@link #MAIN} by default
 * @param metric the route priority, 0 = kernel default
 */
public record Route(
    IpPrefix dst,
    java.net.@Nullable InetAddress gateway,
    @Nullable String device,
    boolean onlink,
    int table,
    int metric,
    Scope scope) {
  /** {@code RT_TABLE_MAIN}. */
  public static final int MAIN = 254;

  /** Route scope, as in {@code ip route ... scope link}. */
  public enum Scope {
    /** Reaches beyond this host (routes via a gateway). */
    UNIVERSE(0),
    /** Directly reachable on the link. */
    LINK(253),
    /** Only this host. */
    HOST(254);

    final int code;

    Scope(int code) {
      this.code = code;
    }

    static Scope of(int code) {
      for (Scope s : values()) {
        if (s.code == code) {
          return s;
        }
      }
      return UNIVERSE;
    }
  }

  /** A connected route to {@code dst} out of {@code device} (scope link, main table). */
  public static Route direct(IpPrefix dst, String device) {
    return new Route(dst, null, device, false, MAIN, 0, Scope.LINK);
  }

  /** A route to {@code dst} via {@code gateway} (scope universe, main table). */
  public static Route via(IpPrefix dst, java.net.InetAddress gateway, @Nullable String device) {
    return new Route(dst, gateway, device, false, MAIN, 0, Scope.UNIVERSE);
  }

  /** The same route with the onlink flag set. */
  public Route withOnlink() {
    return new Route(dst, gateway, device, true, table, metric, scope);
  }

  /** The same route in another table. */
  public Route inTable(int newTable) {
    return new Route(dst, gateway, device, onlink, newTable, metric, scope);
  }

  /** The same route with a metric. */
  public Route withMetric(int newMetric) {
    return new Route(dst, gateway, device, onlink, table, newMetric, scope);
  }
}
