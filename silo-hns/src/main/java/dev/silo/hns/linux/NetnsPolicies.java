package dev.silo.hns.linux;

import dev.silo.hns.spi.DataplaneException;
import dev.silo.hns.spi.PolicySyntax;
import dev.silo.hns.spi.Undo;
import dev.silo.linux.net.IfAddress;
import dev.silo.linux.net.IpPrefix;
import dev.silo.linux.net.NetException;
import dev.silo.linux.net.NetNs;
import dev.silo.linux.net.Route;
import dev.silo.linux.net.Rtnetlink;
import dev.silo.schema.hcn.HostComputeEndpoint;
import dev.silo.schema.hcn.QosPolicySetting;
import dev.silo.schema.hcn.SdnRoutePolicySetting;
import java.net.InetAddress;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The endpoint policies that live inside the container's namespace, whatever the driver: SDNRoute
 * policies as routes out of the endpoint's interface, and QOS as a token bucket filter that is the
 * root qdisc of that interface, so the container's own egress is shaped (its TCP sockets feel the
 * back-pressure instead of losing packets to a policer). The interface is the one holding the
 * endpoint's IPv4 address, which holds for every driver's attach.
 */
final class NetnsPolicies {
  /** A tbf burst of at least one full GSO segment, so large segments are not split. */
  static final int MIN_BURST = 65_536 + 1_514;

  private NetnsPolicies() {}

  /** Takes the routes and shaping of {@code ns} from {@code before} to {@code after}. */
  static Undo apply(NetNs ns, HostComputeEndpoint before, HostComputeEndpoint after)
      throws DataplaneException {
    Set<Route> old = routes(before, "");
    Set<Route> now = routes(after, "");
    Long oldRate = rate(before);
    Long newRate = rate(after);
    if (old.equals(now) && java.util.Objects.equals(oldRate, newRate)) {
      return Undo.NONE;
    }
    return Steps.run(
        "netns policies of endpoint " + after.id(),
        s -> {
          try (Rtnetlink rt = Rtnetlink.open(ns)) {
            String dev = device(rt, after);
            if (dev == null) {
              return; // not wired into this namespace (yet): attach programs it
            }
            Set<Route> from = routes(before, dev);
            Set<Route> to = routes(after, dev);
            for (Route r : from) {
              if (!to.contains(r)) {
                deleteRoute(rt, r);
                s.add(() -> Steps.check("re-add route", x -> rt2(ns, r, true)));
              }
            }
            for (Route r : to) {
              if (!from.contains(r)) {
                rt.routes().replace(r);
                s.add(() -> Steps.check("remove route", x -> rt2(ns, r, false)));
              }
            }
            shape(rt, ns, dev, oldRate, newRate, s);
          }
        });
  }

  private static void shape(
      Rtnetlink rt, NetNs ns, String dev, @Nullable Long oldRate, @Nullable Long newRate, Steps s) {
    if (java.util.Objects.equals(oldRate, newRate)) {
      return;
    }
    if (newRate == null) {
      rt.qdiscs().deleteRoot(dev);
    } else {
      tbf(rt, dev, newRate);
    }
    s.add(
        () ->
            Steps.check(
                "restore qdisc",
                x -> {
                  try (Rtnetlink again = Rtnetlink.open(ns)) {
                    if (oldRate == null) {
                      again.qdiscs().deleteRoot(dev);
                    } else {
                      tbf(again, dev, oldRate);
                    }
                  }
                }));
  }

  /**
   * The tbf of a rate: a burst of 50 ms of traffic (at least {@link #MIN_BURST}) and a queue of 100
   * ms more, so the cap holds over any interval longer than a tenth of a second.
   */
  static void tbf(Rtnetlink rt, String dev, long bytesPerSecond) {
    int burst = (int) Math.max(MIN_BURST, Math.min(Integer.MAX_VALUE / 4, bytesPerSecond / 20));
    int limit = (int) Math.min(Integer.MAX_VALUE / 2, burst + bytesPerSecond / 10);
    rt.qdiscs().replaceRootTbf(dev, bytesPerSecond, burst, limit);
  }

  private static void rt2(NetNs ns, Route r, boolean add) {
    try (Rtnetlink rt = Rtnetlink.open(ns)) {
      if (add) {
        rt.routes().replace(r);
      } else {
        deleteRoute(rt, r);
      }
    }
  }

  private static void deleteRoute(Rtnetlink rt, Route r) {
    try {
      rt.routes().delete(r);
    } catch (NetException e) {
      if (rt.routes().list(Route.MAIN).contains(r)) {
        throw e;
      }
    }
  }

  /** The cap of the endpoint's QOS policies in bytes per second (the lowest), or null. */
  static @Nullable Long rate(HostComputeEndpoint ep) {
    Optional<Long> min =
        ep.policySettings(QosPolicySetting.class).stream()
            .map(QosPolicySetting::maximumOutgoingBandwidthInBytes)
            .filter(r -> r > 0)
            .min(Long::compare);
    return min.orElse(null);
  }

  /** The endpoint's SDNRoute policies as routes out of {@code dev}. */
  static Set<Route> routes(HostComputeEndpoint ep, String dev) throws DataplaneException {
    Set<Route> out = new LinkedHashSet<>();
    for (SdnRoutePolicySetting r : ep.policySettings(SdnRoutePolicySetting.class)) {
      try {
        String p =
            PolicySyntax.prefix(
                "SDNRoute DestinationPrefix", String.valueOf(r.destinationPrefix()));
        IpPrefix dst = Addressing.parse(p.contains("/") ? p : p + "/32");
        String hop = r.nextHop();
        String device = dev.isEmpty() ? "-" : dev;
        out.add(
            hop == null || hop.isBlank()
                ? Route.direct(dst, device)
                : Route.via(
                    dst,
                    InetAddress.ofLiteral(PolicySyntax.prefix("SDNRoute NextHop", hop)),
                    device));
      } catch (IllegalArgumentException e) {
        throw new DataplaneException(String.valueOf(e.getMessage()), e);
      }
    }
    return out;
  }

  /** The interface of {@code ns} that holds the endpoint's IPv4 address, or null. */
  static @Nullable String device(Rtnetlink rt, HostComputeEndpoint ep) {
    String ip = NatTable.ipv4(ep);
    if (ip == null) {
      return null;
    }
    for (IfAddress a : rt.addresses().list(null)) {
      if (a.prefix().address().getHostAddress().equals(ip)) {
        return a.device();
      }
    }
    return null;
  }
}
