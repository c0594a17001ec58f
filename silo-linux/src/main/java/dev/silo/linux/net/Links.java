package dev.silo.linux.net;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/** Link operations of one {@link Rtnetlink} socket ({@code ip link}). */
public final class Links {
  static final int RTM_NEWLINK = 16;
  static final int RTM_DELLINK = 17;
  static final int RTM_GETLINK = 18;
  static final int RTM_SETLINK = 19;
  static final int IFLA_ADDRESS = 1;
  static final int IFLA_IFNAME = 3;
  static final int IFLA_MTU = 4;
  static final int IFLA_LINK = 5;
  static final int IFLA_MASTER = 10;
  static final int IFLA_OPERSTATE = 16;
  static final int IFLA_LINKINFO = 18;
  static final int IFLA_NET_NS_FD = 28;
  static final int IFLA_IFALIAS = 20;
  static final int IFLA_INFO_KIND = 1;
  static final int IFLA_INFO_DATA = 2;
  static final int VETH_INFO_PEER = 1;
  static final int IFF_UP = 1;
  private static final String[] OPER_STATES = {
    "UNKNOWN", "NOTPRESENT", "DOWN", "LOWERLAYERDOWN", "TESTING", "DORMANT", "UP"
  };

  private final Rtnetlink rt;

  Links(Rtnetlink rt) {
    this.rt = rt;
  }

  /**
   * Creates a veth pair whose peer is born directly in {@code peerNs} (no move afterwards, so no
   * name clash with the host's own interfaces); {@code peerNs} null keeps both ends here.
   */
  public void addVeth(String name, String peerName, @Nullable NetNs peerNs) {
    checkName(peerName);
    try (@Nullable NsFd fd = peerNs == null ? null : peerNs.openFd()) {
      create(
          "veth",
          name,
          0,
          r -> {
            int peer = r.beginPlain(VETH_INFO_PEER);
            ifinfo(r, 0, 0, 0);
            r.attrString(IFLA_IFNAME, peerName);
            if (fd != null) {
              r.attrU32(IFLA_NET_NS_FD, fd.fd());
            }
            r.end(peer);
          });
    }
  }

  /**
   * Creates a veth pair as {@code spec} says in one request: the kernel enslaves the local end,
   * brings it up and sets the peer's MAC while creating them; the peer is brought up separately.
   */
  public void addVeth(VethSpec spec) {
    int master = spec.master() == null ? 0 : parentIndex("veth", spec.name(), spec.master());
    int flags = spec.up() ? IFF_UP : 0;
    try (@Nullable NsFd fd = spec.peerNs() == null ? null : spec.peerNs().openFd()) {
      NlRequest r =
          new NlRequest(RTM_NEWLINK, NlRequest.F_ACK | NlRequest.F_CREATE | NlRequest.F_EXCL);
      ifinfo(r, 0, flags, flags);
      r.attrString(IFLA_IFNAME, spec.name());
      if (master != 0) {
        r.attrU32(IFLA_MASTER, master);
      }
      int info = r.begin(IFLA_LINKINFO);
      r.attrString(IFLA_INFO_KIND, "veth");
      int d = r.begin(IFLA_INFO_DATA);
      int peer = r.beginPlain(VETH_INFO_PEER);
      // the peer cannot come up here: veth_open fails (ENOTCONN) until both ends are linked
      ifinfo(r, 0, 0, 0);
      r.attrString(IFLA_IFNAME, spec.peerName());
      if (spec.peerMac() != null) {
        r.attr(IFLA_ADDRESS, spec.peerMac().bytes());
      }
      if (fd != null) {
        r.attrU32(IFLA_NET_NS_FD, fd.fd());
      }
      r.end(peer);
      r.end(d);
      r.end(info);
      rt.socket().execute(r, "RTM_NEWLINK veth", spec.name());
    }
  }

  /** Creates a Linux bridge (the vSwitch of nat, transparent and overlay networks). */
  public void addBridge(String name) {
    create("bridge", name, 0, null);
  }

  /** Creates a VXLAN device (HNS overlay). */
  public void addVxlan(VxlanSpec spec) {
    int dev = spec.device() == null ? 0 : parentIndex("vxlan", spec.name(), spec.device());
    create(
        "vxlan",
        spec.name(),
        0,
        r -> {
          r.attrU32(1, spec.vni()); // IFLA_VXLAN_ID
          if (spec.local() != null) {
            r.attrAddr(spec.local() instanceof java.net.Inet4Address ? 4 : 17, spec.local());
          }
          if (dev != 0) {
            r.attrU32(3, dev); // IFLA_VXLAN_LINK
          }
          r.attrU8(5, spec.ttl()); // IFLA_VXLAN_TTL
          r.attrU8(7, spec.learning() ? 1 : 0); // IFLA_VXLAN_LEARNING
          if (spec.proxy()) {
            r.attrU8(11, 1); // IFLA_VXLAN_PROXY
          }
          r.attrU16be(15, spec.dstPort()); // IFLA_VXLAN_PORT, network byte order
        });
  }

  /** Creates a macvlan child of {@code parent} (transparent: BRIDGE, l2tunnel: VEPA). */
  public void addMacvlan(String name, String parent, MacvlanMode mode) {
    int link = parentIndex("macvlan", name, parent);
    create("macvlan", name, link, r -> r.attrU32(1, mode.code)); // IFLA_MACVLAN_MODE
  }

  /**
   * Creates a macvlan child of {@code parent} born directly in {@code ns} ({@code IFLA_NET_NS_FD}):
   * the parent is looked up here, the child never exists here, so its name may be {@code eth0}
   * without clashing with this namespace's links. {@code ns} null keeps it here.
   */
  public void addMacvlan(String name, String parent, MacvlanMode mode, @Nullable NetNs ns) {
    int link = parentIndex("macvlan", name, parent);
    try (@Nullable NsFd fd = ns == null ? null : ns.openFd()) {
      create(
          "macvlan",
          name,
          link,
          fd == null ? 0 : fd.fd(),
          r -> r.attrU32(1, mode.code)); // IFLA_MACVLAN_MODE
    }
  }

  /** Creates an ipvlan child of {@code parent} (l2bridge: L2). */
  public void addIpvlan(String name, String parent, IpvlanMode mode, Set<IpvlanFlag> flags) {
    int link = parentIndex("ipvlan", name, parent);
    int bits = flags.stream().mapToInt(f -> f.bit).reduce(0, (a, b) -> a | b);
    create(
        "ipvlan",
        name,
        link,
        r -> {
          r.attrU16(1, mode.code); // IFLA_IPVLAN_MODE
          r.attrU16(2, bits); // IFLA_IPVLAN_FLAGS
        });
  }

  /** Moves a link into another namespace (it goes down and loses its addresses there). */
  public void moveTo(String name, NetNs ns) {
    try (NsFd fd = ns.openFd()) {
      set(name, "netns " + ns.name(), 0, 0, r -> r.attrU32(IFLA_NET_NS_FD, fd.fd()));
    }
  }

  /** Sets {@code IFF_UP}. */
  public void setUp(String name) {
    set(name, "up", IFF_UP, IFF_UP, null);
  }

  /** Clears {@code IFF_UP}. */
  public void setDown(String name) {
    set(name, "down", 0, IFF_UP, null);
  }

  /** Sets the MTU (overlay: uplink MTU minus the 50-byte VXLAN overhead). */
  public void setMtu(String name, int mtu) {
    set(name, "mtu " + mtu, 0, 0, r -> r.attrU32(IFLA_MTU, mtu));
  }

  /** Sets the MAC address (HNS endpoints carry their own). */
  public void setMac(String name, MacAddress mac) {
    set(name, "address " + mac, 0, 0, r -> r.attr(IFLA_ADDRESS, mac.bytes()));
  }

  /** Enslaves the link to a bridge. */
  public void setMaster(String name, String master) {
    int m = parentIndex("master", name, master);
    set(name, "master " + master, 0, 0, r -> r.attrU32(IFLA_MASTER, m));
  }

  /** Releases the link from its bridge. */
  public void setNoMaster(String name) {
    set(name, "nomaster", 0, 0, r -> r.attrU32(IFLA_MASTER, 0));
  }

  /**
   * Sets the link's alias ({@code ip link set NAME alias TEXT}): a free-text label of up to 255
   * bytes the kernel keeps with the link, so an owner can tag links with ids longer than a name.
   */
  public void setAlias(String name, String alias) {
    if (alias.isEmpty() || alias.getBytes(StandardCharsets.UTF_8).length > 255) {
      throw new IllegalArgumentException("link alias '" + alias + "': 1-255 bytes");
    }
    set(name, "alias " + alias, 0, 0, r -> r.attrString(IFLA_IFALIAS, alias));
  }

  /** Link name to alias of every link that has an alias, in one dump. */
  public Map<String, String> aliases() {
    NlRequest r = new NlRequest(RTM_GETLINK, NlRequest.F_DUMP);
    ifinfo(r, 0, 0, 0);
    Map<String, String> out = new LinkedHashMap<>();
    for (NlMessage m : rt.socket().query(r, "RTM_GETLINK", "dump")) {
      if (m.type() == RTM_NEWLINK) {
        NlAttrs a = m.attrs(16);
        String alias = a.string(IFLA_IFALIAS);
        if (alias != null && !alias.isEmpty()) {
          out.put(String.valueOf(a.string(IFLA_IFNAME)), alias);
        }
      }
    }
    return out;
  }

  /** Renames the link (the kernel refuses while it is up on older kernels). */
  public void rename(String name, String newName) {
    checkName(newName);
    // IFLA_IFNAME carries the new name here, so the link is addressed by index
    int index = get(name).index();
    NlRequest r = new NlRequest(RTM_SETLINK, NlRequest.F_ACK);
    ifinfo(r, index, 0, 0);
    r.attrString(IFLA_IFNAME, newName);
    rt.socket().execute(r, "RTM_SETLINK name " + newName, name);
  }

  /** Deletes the link (a veth takes its peer with it). */
  public void delete(String name) {
    int index = get(name).index();
    NlRequest r = new NlRequest(RTM_DELLINK, NlRequest.F_ACK);
    ifinfo(r, index, 0, 0);
    rt.socket().execute(r, "RTM_DELLINK", name);
  }

  /** The link called {@code name}, if any. */
  public Optional<Link> find(String name) {
    checkName(name);
    NlRequest r = new NlRequest(RTM_GETLINK, 0);
    ifinfo(r, 0, 0, 0);
    r.attrString(IFLA_IFNAME, name);
    try {
      return rt.socket().query(r, "RTM_GETLINK", name).stream().map(Links::parse).findFirst();
    } catch (NetException e) {
      if (e.errno() == Libc.ENODEV) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /** The link called {@code name}; fails with {@code No such device} if absent. */
  public Link get(String name) {
    return find(name)
        .orElseThrow(
            () -> new NetException("RTM_GETLINK", name, Libc.ENODEV, Libc.strerror(Libc.ENODEV)));
  }

  /** All links of the namespace, in index order. */
  public List<Link> list() {
    NlRequest r = new NlRequest(RTM_GETLINK, NlRequest.F_DUMP);
    ifinfo(r, 0, 0, 0);
    List<Link> out = new ArrayList<>();
    for (NlMessage m : rt.socket().query(r, "RTM_GETLINK", "dump")) {
      if (m.type() == RTM_NEWLINK) {
        out.add(parse(m));
      }
    }
    return out;
  }

  private void create(
      String kind, String name, int parentIndex, @Nullable Consumer<NlRequest> data) {
    create(kind, name, parentIndex, 0, data);
  }

  private void create(
      String kind, String name, int parentIndex, int netnsFd, @Nullable Consumer<NlRequest> data) {
    checkName(name);
    NlRequest r =
        new NlRequest(RTM_NEWLINK, NlRequest.F_ACK | NlRequest.F_CREATE | NlRequest.F_EXCL);
    ifinfo(r, 0, 0, 0);
    r.attrString(IFLA_IFNAME, name);
    if (parentIndex != 0) {
      r.attrU32(IFLA_LINK, parentIndex);
    }
    if (netnsFd != 0) {
      r.attrU32(IFLA_NET_NS_FD, netnsFd);
    }
    int info = r.begin(IFLA_LINKINFO);
    r.attrString(IFLA_INFO_KIND, kind);
    if (data != null) {
      int d = r.begin(IFLA_INFO_DATA);
      data.accept(r);
      r.end(d);
    }
    r.end(info);
    rt.socket().execute(r, "RTM_NEWLINK " + kind, name);
  }

  private void set(
      String name, String what, int flags, int change, @Nullable Consumer<NlRequest> attrs) {
    checkName(name);
    NlRequest r = new NlRequest(RTM_SETLINK, NlRequest.F_ACK);
    // index 0 + IFLA_IFNAME: the kernel finds the link by name, saving a lookup round trip
    ifinfo(r, 0, flags, change);
    r.attrString(IFLA_IFNAME, name);
    if (attrs != null) {
      attrs.accept(r);
    }
    rt.socket().execute(r, "RTM_SETLINK " + what, name);
  }

  private int parentIndex(String kind, String name, String parent) {
    Optional<Link> p = find(parent);
    if (p.isEmpty()) {
      throw new NetException(
          "RTM_NEWLINK " + kind,
          name,
          Libc.ENODEV,
          "parent " + parent + ": " + Libc.strerror(Libc.ENODEV));
    }
    return p.get().index();
  }

  /** Writes a {@code struct ifinfomsg}. */
  static void ifinfo(NlRequest r, int index, int flags, int change) {
    r.u8(0).u8(0).u16(0).u32(index).u32(flags).u32(change);
  }

  static Link parse(NlMessage m) {
    ByteBuffer b = m.body();
    int index = b.getInt(4);
    int flags = b.getInt(8);
    NlAttrs a = m.attrs(16);
    byte[] mac = a.bytes(IFLA_ADDRESS);
    int oper = a.u8(IFLA_OPERSTATE, 0);
    return new Link(
        String.valueOf(a.string(IFLA_IFNAME)),
        index,
        a.nested(IFLA_LINKINFO).string(IFLA_INFO_KIND),
        mac != null && mac.length == 6 ? new MacAddress(mac) : null,
        a.u32(IFLA_MASTER, 0),
        (flags & IFF_UP) != 0,
        oper < OPER_STATES.length ? OPER_STATES[oper] : "UNKNOWN",
        a.u32(IFLA_MTU, 0));
  }

  static String checkName(String name) {
    int len = name.getBytes(StandardCharsets.UTF_8).length;
    if (len == 0
        || len > 15
        || name.equals(".")
        || name.equals("..")
        || !name.matches("[^/\\s:]+")) {
      throw new IllegalArgumentException(
          "link name '" + name + "': 1-15 bytes, no '/', ':' or whitespace, not . or ..");
    }
    return name;
  }
}
