package dev.silo.hns.linux;

import dev.silo.hns.spi.DataplaneException;
import dev.silo.hns.spi.Undo;
import dev.silo.linux.net.IpPrefix;
import dev.silo.linux.net.Link;
import dev.silo.linux.net.MacAddress;
import dev.silo.linux.net.NetException;
import dev.silo.linux.net.NetNs;
import dev.silo.linux.net.Route;
import dev.silo.linux.net.Rtnetlink;
import dev.silo.linux.net.VethSpec;
import dev.silo.schema.hcn.HostComputeEndpoint;
import dev.silo.schema.hcn.HostComputeNetwork;
import dev.silo.schema.hcn.IpConfig;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Endpoint attach and detach on a bridge network: a veth pair whose container end is born inside
 * the namespace ({@code IFLA_NET_NS_FD}) as {@code eth0} (or the first free {@code ethN}) and whose
 * host end, named from the endpoint id and tagged with it, is a port of the network's bridge.
 */
final class Attach {
  private static final int EEXIST = 17;

  private final Host host;

  Attach(Host host) {
    this.host = host;
  }

  Undo attach(NetNs ns, String bridge, HostComputeNetwork net, HostComputeEndpoint ep)
      throws DataplaneException {
    return attach(ns, bridge, net, ep, 0);
  }

  /** Attaches with both veth ends at {@code mtu} (0: the kernel default), for encapsulation. */
  Undo attach(NetNs ns, String bridge, HostComputeNetwork net, HostComputeEndpoint ep, int mtu)
      throws DataplaneException {
    String id = String.valueOf(ep.id());
    String hostEnd = Names.hostVeth(id);
    return Steps.run(
        "attach endpoint " + id + " to " + ns,
        s -> {
          try (Rtnetlink in = Rtnetlink.open(ns)) {
            String ifName = freeName(in);
            MacAddress mac = ep.macAddress() == null ? null : MacAddress.parse(ep.macAddress());
            // one request: host end up in the bridge, peer born in the netns with its MAC
            VethSpec veth = new VethSpec(hostEnd, bridge, ifName, ns, mac, true);
            try {
              host.rt().links().addVeth(veth);
            } catch (NetException e) {
              if (e.errno() != EEXIST || host.link(hostEnd).isEmpty()) {
                throw e;
              }
              // a leftover host end (its bridge was re-created) is replaced, not reused; looked for
              // only when the name is taken, not before every attach
              host.deleteLinkIfPresent(hostEnd);
              host.rt().links().addVeth(veth);
            }
            s.add(() -> host.deleteLinkIfPresent(hostEnd));
            if (mtu > 0) {
              host.rt().links().setMtu(hostEnd, mtu);
              in.links().setMtu(ifName, mtu);
            }
            host.rt().links().setAlias(hostEnd, Names.ENDPOINT_ALIAS + id.toLowerCase(Locale.ROOT));
            configure(in, ifName, net, ep);
          }
        });
  }

  Undo detach(NetNs ns, String bridge, HostComputeNetwork net, HostComputeEndpoint ep)
      throws DataplaneException {
    String hostEnd = Names.hostVeth(String.valueOf(ep.id()));
    return Steps.run(
        "detach endpoint " + ep.id(),
        s -> {
          if (host.link(hostEnd).isEmpty()) {
            return; // already gone (namespace deleted behind HNS's back): nothing to undo
          }
          int mtu = host.link(hostEnd).map(l -> l.mtu()).orElse(0);
          host.rt().links().delete(hostEnd);
          s.add(() -> attach(ns, bridge, net, ep, mtu));
        });
  }

  static void configure(Rtnetlink in, String ifName, HostComputeNetwork net, HostComputeEndpoint ep)
      throws DataplaneException {
    for (IpConfig ip : ep.ipConfigurations()) {
      if (ip.ipAddress() != null) {
        int len = ip.prefixLength() == null ? Addressing.subnet(net).length() : ip.prefixLength();
        in.addresses().add(ifName, Addressing.parse(ip.ipAddress() + "/" + len));
      }
    }
    in.links().setUp(ifName);
    String gw = gateway(net, ep);
    if (gw != null) {
      IpPrefix via = Addressing.parse(gw);
      // one default route per endpoint, as Windows gives every vNIC a gateway; the metric (N of
      // ethN) keeps them apart, so a second endpoint's route is not refused as already there
      in.routes()
          .add(
              Route.via(IpPrefix.parse("0.0.0.0/0"), via.address(), ifName)
                  .withMetric(interfaceNumber(ifName)));
    }
  }

  /** The endpoint's default-route next hop, else the network's. */
  private static @Nullable String gateway(HostComputeNetwork net, HostComputeEndpoint ep) {
    for (dev.silo.schema.hcn.Route r : ep.routes()) {
      if ("0.0.0.0/0".equals(r.destinationPrefix()) && r.nextHop() != null) {
        return r.nextHop();
      }
    }
    for (var subnet : net.subnets()) {
      for (dev.silo.schema.hcn.Route r : subnet.routes()) {
        if ("0.0.0.0/0".equals(r.destinationPrefix()) && r.nextHop() != null) {
          return r.nextHop();
        }
      }
    }
    return null;
  }

  /** N of {@code ethN}, else 0. */
  static int interfaceNumber(String ifName) {
    String n = ifName.startsWith("eth") ? ifName.substring(3) : "";
    return n.matches("[0-9]{1,4}") ? Integer.parseInt(n) : 0;
  }

  static String freeName(Rtnetlink in) {
    Set<String> taken = in.links().list().stream().map(Link::name).collect(Collectors.toSet());
    int n = 0;
    while (taken.contains("eth" + n)) {
      n++;
    }
    return "eth" + n;
  }
}
