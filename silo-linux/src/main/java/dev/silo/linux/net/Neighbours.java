package dev.silo.linux.net;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Neighbour and bridge FDB operations of one {@link Rtnetlink} socket ({@code ip neigh}, {@code
 * bridge fdb}): the static ARP and forwarding tables of an HNS overlay network.
 */
public final class Neighbours {
  static final int RTM_NEWNEIGH = 28;
  static final int RTM_DELNEIGH = 29;
  static final int RTM_GETNEIGH = 30;
  static final int NDA_DST = 1;
  static final int NDA_LLADDR = 2;
  static final int AF_BRIDGE = 7;
  static final int NTF_SELF = 0x02;

  private final Rtnetlink rt;

  Neighbours(Rtnetlink rt) {
    this.rt = rt;
  }

  /** Adds a permanent neighbour {@code ip → mac} on {@code device}; fails if one exists. */
  public void add(String device, InetAddress ip, MacAddress mac) {
    int flags = NlRequest.F_CREATE | NlRequest.F_EXCL;
    neigh(RTM_NEWNEIGH, flags, "RTM_NEWNEIGH " + ip.getHostAddress(), device, ip, mac);
  }

  /** Adds or replaces the permanent neighbour {@code ip → mac} on {@code device}. */
  public void replace(String device, InetAddress ip, MacAddress mac) {
    int flags = NlRequest.F_CREATE | NlRequest.F_REPLACE;
    neigh(RTM_NEWNEIGH, flags, "RTM_NEWNEIGH " + ip.getHostAddress(), device, ip, mac);
  }

  /** Deletes the neighbour entry for {@code ip} on {@code device}. */
  public void delete(String device, InetAddress ip) {
    neigh(RTM_DELNEIGH, 0, "RTM_DELNEIGH " + ip.getHostAddress(), device, ip, null);
  }

  /** Neighbour entries with a MAC, of {@code device} or all devices when null. */
  public List<Neighbour> list(@Nullable String device) {
    List<Neighbour> out = new ArrayList<>();
    for (Entry e : dump(0, device)) {
      if (e.ip != null) {
        out.add(new Neighbour(e.device, e.ip, e.mac, e.state));
      }
    }
    return out;
  }

  /**
   * Appends a permanent FDB entry {@code mac → dst} on a vxlan device ({@code bridge fdb append ...
   * self permanent}); append allows several VTEPs per MAC (e.g. the all-zero flood MAC).
   */
  public void fdbAppend(String vxlanDevice, MacAddress mac, InetAddress dst) {
    fdb(RTM_NEWNEIGH, NlRequest.F_CREATE | NlRequest.F_APPEND, vxlanDevice, mac, dst);
  }

  /** Deletes the FDB entry {@code mac → dst} from a vxlan device. */
  public void fdbDelete(String vxlanDevice, MacAddress mac, InetAddress dst) {
    fdb(RTM_DELNEIGH, 0, vxlanDevice, mac, dst);
  }

  /** FDB entries of {@code device}. */
  public List<FdbEntry> fdbList(String device) {
    List<FdbEntry> out = new ArrayList<>();
    for (Entry e : dump(AF_BRIDGE, device)) {
      if (e.mac != null) {
        out.add(new FdbEntry(e.device, e.mac, e.ip, e.state));
      }
    }
    return out;
  }

  private void neigh(
      int type, int flags, String op, String device, InetAddress ip, @Nullable MacAddress mac) {
    int index = rt.links().get(device).index();
    int family = ip instanceof Inet4Address ? Addresses.AF_INET : Addresses.AF_INET6;
    NlRequest r = new NlRequest(type, NlRequest.F_ACK | flags);
    ndmsg(r, family, index, Neighbour.PERMANENT, 0);
    r.attrAddr(NDA_DST, ip);
    if (mac != null) {
      r.attr(NDA_LLADDR, mac.bytes());
    }
    rt.socket().execute(r, op, device);
  }

  private void fdb(int type, int flags, String device, MacAddress mac, InetAddress dst) {
    int index = rt.links().get(device).index();
    NlRequest r = new NlRequest(type, NlRequest.F_ACK | flags);
    ndmsg(r, AF_BRIDGE, index, Neighbour.PERMANENT, NTF_SELF);
    r.attr(NDA_LLADDR, mac.bytes());
    r.attrAddr(NDA_DST, dst);
    String op = (type == RTM_NEWNEIGH ? "RTM_NEWNEIGH fdb " : "RTM_DELNEIGH fdb ") + mac;
    rt.socket().execute(r, op + " dst " + dst.getHostAddress(), device);
  }

  private record Entry(
      String device, @Nullable InetAddress ip, @Nullable MacAddress mac, int state) {}

  private List<Entry> dump(int family, @Nullable String device) {
    Map<Integer, String> names = rt.indexNames();
    NlRequest r = new NlRequest(RTM_GETNEIGH, NlRequest.F_DUMP);
    ndmsg(r, family, 0, 0, 0);
    List<Entry> out = new ArrayList<>();
    for (NlMessage m : rt.socket().query(r, "RTM_GETNEIGH", device == null ? "dump" : device)) {
      if (m.type() != RTM_NEWNEIGH) {
        continue;
      }
      ByteBuffer b = m.body();
      int index = b.getInt(4);
      String name = names.getOrDefault(index, "if" + index);
      if (device != null && !device.equals(name)) {
        continue;
      }
      NlAttrs a = m.attrs(12);
      byte[] ll = a.bytes(NDA_LLADDR);
      MacAddress mac = ll != null && ll.length == 6 ? new MacAddress(ll) : null;
      out.add(new Entry(name, a.address(NDA_DST), mac, Short.toUnsignedInt(b.getShort(8))));
    }
    return out;
  }

  /** Writes a {@code struct ndmsg}. */
  private static void ndmsg(NlRequest r, int family, int index, int state, int flags) {
    r.u8(family).u8(0).u16(0).u32(index).u16(state).u8(flags).u8(0);
  }
}
