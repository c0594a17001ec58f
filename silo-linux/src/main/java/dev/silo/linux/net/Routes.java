package dev.silo.linux.net;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Route operations of one {@link Rtnetlink} socket ({@code ip route}). */
public final class Routes {
  static final int RTM_NEWROUTE = 24;
  static final int RTM_DELROUTE = 25;
  static final int RTM_GETROUTE = 26;
  static final int RTA_DST = 1;
  static final int RTA_OIF = 4;
  static final int RTA_GATEWAY = 5;
  static final int RTA_PRIORITY = 6;
  static final int RTA_TABLE = 15;
  static final int RTPROT_BOOT = 3;
  static final int RTN_UNICAST = 1;
  static final int RTNH_F_ONLINK = 4;
  static final int RT_SCOPE_NOWHERE = 255;

  private final Rtnetlink rt;

  Routes(Rtnetlink rt) {
    this.rt = rt;
  }

  /** Adds a route; fails with {@code File exists} if the same one is there. */
  public void add(Route route) {
    modify(RTM_NEWROUTE, NlRequest.F_CREATE | NlRequest.F_EXCL, "RTM_NEWROUTE", route);
  }

  /** Adds or replaces the route to the same destination (idempotent, for reconcile). */
  public void replace(Route route) {
    modify(RTM_NEWROUTE, NlRequest.F_CREATE | NlRequest.F_REPLACE, "RTM_NEWROUTE", route);
  }

  /** Deletes a route, matched on destination, table and the given gateway/device/metric. */
  public void delete(Route route) {
    modify(RTM_DELROUTE, 0, "RTM_DELROUTE", route);
  }

  /** Unicast routes of {@code table} (both families), e.g. {@link Route#MAIN}. */
  public List<Route> list(int table) {
    Map<Integer, String> names = rt.indexNames();
    NlRequest r = new NlRequest(RTM_GETROUTE, NlRequest.F_DUMP);
    r.u8(0).u8(0).u8(0).u8(0).u8(0).u8(0).u8(0).u8(0).u32(0);
    List<Route> out = new ArrayList<>();
    for (NlMessage m : rt.socket().query(r, "RTM_GETROUTE", "table " + table)) {
      if (m.type() == RTM_NEWROUTE) {
        Route route = parse(m, names);
        if (route != null && route.table() == table) {
          out.add(route);
        }
      }
    }
    return out;
  }

  private static @org.jspecify.annotations.Nullable Route parse(
      NlMessage m, Map<Integer, String> names) {
    ByteBuffer b = m.body();
    int family = Byte.toUnsignedInt(b.get(0));
    int dstLen = Byte.toUnsignedInt(b.get(1));
    if (Byte.toUnsignedInt(b.get(7)) != RTN_UNICAST) {
      return null;
    }
    NlAttrs a = m.attrs(12);
    InetAddress dst = a.address(RTA_DST);
    if (dst == null) {
      dst = anyAddress(family);
    }
    int oif = a.u32(RTA_OIF, 0);
    return new Route(
        new IpPrefix(dst, dstLen),
        a.address(RTA_GATEWAY),
        oif == 0 ? null : names.getOrDefault(oif, "if" + oif),
        (b.getInt(8) & RTNH_F_ONLINK) != 0,
        a.u32(RTA_TABLE, Byte.toUnsignedInt(b.get(4))),
        a.u32(RTA_PRIORITY, 0),
        Route.Scope.of(Byte.toUnsignedInt(b.get(6))));
  }

  private static InetAddress anyAddress(int family) {
    try {
      return InetAddress.getByAddress(new byte[family == Addresses.AF_INET6 ? 16 : 4]);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  private void modify(int type, int flags, String op, Route route) {
    String device = route.device();
    int oif = device == null ? 0 : rt.links().get(device).index();
    boolean v4 = route.dst().address() instanceof Inet4Address;
    boolean add = type == RTM_NEWROUTE;
    NlRequest r = new NlRequest(type, NlRequest.F_ACK | flags);
    r.u8(v4 ? Addresses.AF_INET : Addresses.AF_INET6).u8(route.dst().length()).u8(0).u8(0);
    r.u8(route.table() < 256 ? route.table() : 0);
    // a delete with protocol/scope/type unset matches any, like `ip route del`
    r.u8(add ? RTPROT_BOOT : 0).u8(add ? route.scope().code : RT_SCOPE_NOWHERE);
    r.u8(add ? RTN_UNICAST : 0).u32(route.onlink() ? RTNH_F_ONLINK : 0);
    if (route.dst().length() > 0) {
      r.attrAddr(RTA_DST, route.dst().address());
    }
    if (route.gateway() != null) {
      r.attrAddr(RTA_GATEWAY, route.gateway());
    }
    if (oif != 0) {
      r.attrU32(RTA_OIF, oif);
    }
    if (route.metric() != 0) {
      r.attrU32(RTA_PRIORITY, route.metric());
    }
    r.attrU32(RTA_TABLE, route.table());
    rt.socket().execute(r, op + " " + route.dst(), device == null ? "" : "dev " + device);
  }
}
