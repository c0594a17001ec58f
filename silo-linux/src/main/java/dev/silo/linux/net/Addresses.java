package dev.silo.linux.net;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Address operations of one {@link Rtnetlink} socket ({@code ip addr}). */
public final class Addresses {
  static final int RTM_NEWADDR = 20;
  static final int RTM_DELADDR = 21;
  static final int RTM_GETADDR = 22;
  static final int IFA_ADDRESS = 1;
  static final int IFA_LOCAL = 2;
  static final int AF_INET = 2;
  static final int AF_INET6 = 10;
  private static final int IFA_F_NODAD = 0x02;

  private final Rtnetlink rt;

  Addresses(Rtnetlink rt) {
    this.rt = rt;
  }

  /** Adds {@code prefix} (e.g. {@code 172.20.0.2/16}) to {@code device}; IPv6 skips DAD. */
  public void add(String device, IpPrefix prefix) {
    modify(RTM_NEWADDR, NlRequest.F_CREATE | NlRequest.F_EXCL, "RTM_NEWADDR", device, prefix);
  }

  /** Removes {@code prefix} from {@code device}. */
  public void delete(String device, IpPrefix prefix) {
    modify(RTM_DELADDR, 0, "RTM_DELADDR", device, prefix);
  }

  /** Addresses of {@code device}, or of all devices when null; both families. */
  public List<IfAddress> list(@Nullable String device) {
    Map<Integer, String> names = rt.indexNames();
    NlRequest r = new NlRequest(RTM_GETADDR, NlRequest.F_DUMP);
    r.u8(0).u8(0).u8(0).u8(0).u32(0);
    List<IfAddress> out = new ArrayList<>();
    for (NlMessage m : rt.socket().query(r, "RTM_GETADDR", device == null ? "dump" : device)) {
      if (m.type() != RTM_NEWADDR) {
        continue;
      }
      int len = Byte.toUnsignedInt(m.body().get(1));
      int index = m.body().getInt(4);
      NlAttrs a = m.attrs(8);
      // IFA_LOCAL is the address on point-to-point links, where IFA_ADDRESS is the peer
      InetAddress addr = a.has(IFA_LOCAL) ? a.address(IFA_LOCAL) : a.address(IFA_ADDRESS);
      String name = names.getOrDefault(index, "if" + index);
      if (addr != null && (device == null || device.equals(name))) {
        out.add(new IfAddress(name, index, new IpPrefix(addr, len)));
      }
    }
    return out;
  }

  private void modify(int type, int flags, String op, String device, IpPrefix prefix) {
    int index = rt.links().get(device).index();
    boolean v4 = prefix.address() instanceof Inet4Address;
    NlRequest r = new NlRequest(type, NlRequest.F_ACK | flags);
    r.u8(v4 ? AF_INET : AF_INET6).u8(prefix.length()).u8(v4 ? 0 : IFA_F_NODAD).u8(0).u32(index);
    if (v4) {
      r.attrAddr(IFA_LOCAL, prefix.address());
    }
    r.attrAddr(IFA_ADDRESS, prefix.address());
    rt.socket().execute(r, op + " " + prefix, device);
  }
}
