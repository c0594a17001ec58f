package dev.silo.hns.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.silo.api.HResult;
import dev.silo.api.HnsException;
import dev.silo.hns.HostNetworkService;
import dev.silo.linux.net.IfAddress;
import dev.silo.linux.net.NetNs;
import dev.silo.linux.net.Rtnetlink;
import dev.silo.linux.net.VxlanSpec;
import dev.silo.schema.hcn.DrMacAddressPolicySetting;
import dev.silo.schema.hcn.EndpointPolicy;
import dev.silo.schema.hcn.HostComputeEndpoint;
import dev.silo.schema.hcn.HostComputeNamespace;
import dev.silo.schema.hcn.HostComputeNetwork;
import dev.silo.schema.hcn.IpConfig;
import dev.silo.schema.hcn.ModificationRequest;
import dev.silo.schema.hcn.ModifyRequestType;
import dev.silo.schema.hcn.NetworkPolicy;
import dev.silo.schema.hcn.NetworkType;
import dev.silo.schema.hcn.ProviderAddressPolicySetting;
import dev.silo.schema.hcn.RemoteSubnetRoutePolicySetting;
import dev.silo.schema.hcn.Route;
import dev.silo.schema.hcn.Subnet;
import dev.silo.schema.hcn.SubnetPolicy;
import dev.silo.schema.hcn.VsidPolicySetting;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The overlay driver across two HNS hosts on a real VXLAN underlay: remote endpoints and remote
 * subnet routes carry TCP between containers' namespaces; removing them stops it; deleting
 * everything leaves the kernel as it was (run as root).
 */
class OverlayDriverIT {
  static final int VSID = 4100;
  static final String DR_A = "02-AA-00-00-00-01";
  static final String DR_B = "02-AA-00-00-00-02";

  @TempDir Path dir;
  TwoHosts hosts;
  List<String> beforeA;
  List<String> beforeB;

  @BeforeEach
  void setUp() throws Exception {
    hosts = new TwoHosts(dir);
    beforeA = TwoHosts.listing(hosts.a.host);
    beforeB = TwoHosts.listing(hosts.b.host);
  }

  @AfterEach
  void tearDown() {
    hosts.close();
  }

  static HostComputeNetwork overlay(String prefix, String gateway, String pa, long vsid) {
    SubnetPolicy v = new SubnetPolicy("VSID", new VsidPolicySetting(vsid));
    Subnet s = new Subnet(prefix, List.of(v), List.of(new Route(gateway, "0.0.0.0/0", null)), null);
    return HostComputeNetwork.of("ov1", NetworkType.OVERLAY, s)
        .withPolicies(List.of(NetworkPolicy.of(new ProviderAddressPolicySetting(pa))));
  }

  static HostComputeEndpoint local(HostComputeNetwork n, String ip) {
    return HostComputeEndpoint.of("local", id(n))
        .withAddressing(List.of(new IpConfig(ip, null)), null, List.of());
  }

  /** The other host's endpoint as HNS sees it here: Flags RemoteEndpoint, IP, MAC and its PA. */
  static HostComputeEndpoint remote(HostComputeNetwork n, HostComputeEndpoint there, String pa) {
    HostComputeEndpoint ep =
        new HostComputeEndpoint(
            null,
            "remote",
            id(n),
            null,
            List.of(EndpointPolicy.of(new ProviderAddressPolicySetting(pa))),
            there.ipConfigurations(),
            null,
            List.of(),
            there.macAddress(),
            HostComputeEndpoint.REMOTE_ENDPOINT,
            null,
            null);
    return ep;
  }

  static String id(Object o) {
    return switch (o) {
      case HostComputeEndpoint e -> Objects.requireNonNull(e.id());
      case HostComputeNetwork n -> Objects.requireNonNull(n.id());
      case HostComputeNamespace s -> Objects.requireNonNull(s.id());
      default -> throw new IllegalArgumentException();
    };
  }

  static String ip(HostComputeEndpoint ep) {
    return Objects.requireNonNull(ep.ipConfigurations().get(0).ipAddress());
  }

  /** A local endpoint of {@code n} at {@code ip}, joined to a fresh namespace of {@code lab}. */
  record Joined(HostComputeEndpoint ep, HostComputeNamespace ns, NetNs netns) {}

  static Joined join(Lab lab, HostComputeNetwork n, String ip) throws HnsException {
    HostComputeEndpoint ep = lab.hns.createEndpoint(local(n, ip));
    HostComputeNamespace ns = lab.hns.createNamespace(HostComputeNamespace.host());
    lab.hns.addNamespaceEndpoint(id(ns), id(ep));
    return new Joined(ep, ns, NetNs.ofPath(lab.dp.netnsPath(id(ns))));
  }

  static void deleteAll(Lab lab) throws HnsException {
    HostNetworkService hns = lab.hns;
    for (HostComputeEndpoint e : hns.listEndpoints(null)) {
      hns.deleteEndpoint(id(e));
    }
    for (HostComputeNamespace s : hns.listNamespaces(null)) {
      hns.deleteNamespace(id(s));
    }
    for (HostComputeNetwork n : hns.listNetworks(null)) {
      hns.deleteNetwork(id(n));
    }
  }

  /** Polls until a connection from {@code from} fails, for at most ten seconds. */
  static boolean unreachable(NetNs from, String ip, int port) throws InterruptedException {
    Instant end = Instant.now().plus(Duration.ofSeconds(10));
    while (Instant.now().isBefore(end)) {
      try {
        Lab.call(from, ip, port);
      } catch (IOException e) {
        return true;
      }
    }
    return false;
  }

  /** One overlay network per host, a joined local endpoint each, each one remote on the other. */
  record Pair(
      HostComputeNetwork na,
      HostComputeNetwork nb,
      Joined ja,
      Joined jb,
      HostComputeEndpoint ra,
      HostComputeEndpoint rb) {}

  Pair pair() throws HnsException {
    Lab a = hosts.a;
    Lab b = hosts.b;
    HostComputeNetwork na =
        a.hns.createNetwork(overlay("10.99.0.0/24", "10.99.0.1", TwoHosts.PA_A, VSID));
    HostComputeNetwork nb =
        b.hns.createNetwork(overlay("10.99.0.0/24", "10.99.0.1", TwoHosts.PA_B, VSID));
    Joined ja = join(a, na, "10.99.0.10");
    Joined jb = join(b, nb, "10.99.0.20");
    HostComputeEndpoint ra = a.hns.createEndpoint(remote(na, jb.ep(), TwoHosts.PA_B));
    HostComputeEndpoint rb = b.hns.createEndpoint(remote(nb, ja.ep(), TwoHosts.PA_A));

    return new Pair(na, nb, ja, jb, ra, rb);
  }

  @Test
  void reconcileRebuildsALostBridgeAndRemovesAStrayVxlan() throws Exception {
    Pair p = pair();
    String br = Names.bridge(id(p.na()));
    String vx = Names.vxlan(id(p.na()));
    try (Rtnetlink h = Rtnetlink.open(hosts.a.host)) {
      h.links().delete(br); // behind HNS's back: the vxlan and the veth lose their master
      h.links().addVxlan(new VxlanSpec("silox0000000000", 77, null, 4789, null, false, 0));
    }
    var report = hosts.a.hns.reconcile();
    assertThat(report.failed()).isEmpty();
    try (Rtnetlink h = Rtnetlink.open(hosts.a.host)) {
      assertThat(h.links().find("silox0000000000")).isEmpty();
      assertThat(h.links().get(vx).master()).isEqualTo(h.links().get(br).index());
      assertThat(h.neighbours().fdbList(vx))
          .anyMatch(f -> String.valueOf(f.dst()).endsWith(TwoHosts.PA_B));
    }
    try (ServerSocket sb = Lab.serve(p.jb().netns(), "0.0.0.0", 7003)) {
      assertThat(Lab.call(p.ja().netns(), "10.99.0.20", 7003)).isEqualTo("peer=10.99.0.10");
    }
    deleteAll(hosts.a);
    deleteAll(hosts.b);
    assertThat(TwoHosts.listing(hosts.a.host)).containsExactlyInAnyOrderElementsOf(beforeA);
  }

  @Test
  void remoteEndpointsCarryTcpAcrossVxlanUntilRemoved() throws Exception {
    Lab a = hosts.a;
    Lab b = hosts.b;
    Pair p = pair();
    HostComputeNetwork na = p.na();
    HostComputeNetwork nb = p.nb();
    Joined ja = p.ja();
    Joined jb = p.jb();
    HostComputeEndpoint ra = p.ra();
    HostComputeEndpoint rb = p.rb();
    String vxA = Names.vxlan(id(na));
    try (Rtnetlink h = Rtnetlink.open(a.host)) {
      assertThat(h.links().get(vxA).kind()).isEqualTo("vxlan");
      assertThat(h.links().get(vxA).master())
          .isEqualTo(h.links().get(Names.bridge(id(na))).index());
      assertThat(h.neighbours().fdbList(vxA))
          .anyMatch(f -> String.valueOf(f.dst()).endsWith(TwoHosts.PA_B));
      assertThat(h.neighbours().list(vxA))
          .anyMatch(n -> n.permanent() && n.ip().getHostAddress().equals("10.99.0.20"));
    }
    assertThat(ipDetail(a.hostName, vxA))
        .contains(
            "vxlan id " + VSID, "dstport 4789", "nolearning", "proxy", "local " + TwoHosts.PA_A);
    try (Rtnetlink in = Rtnetlink.open(ja.netns())) {
      assertThat(in.links().get("eth0").mtu()).isEqualTo(1450);
    }
    try (ServerSocket sb = Lab.serve(jb.netns(), "0.0.0.0", 7000);
        ServerSocket sa = Lab.serve(ja.netns(), "0.0.0.0", 7000)) {
      assertThat(Lab.call(ja.netns(), "10.99.0.20", 7000)).isEqualTo("peer=10.99.0.10");
      assertThat(Lab.call(jb.netns(), "10.99.0.10", 7000)).isEqualTo("peer=10.99.0.20");

      // the remote endpoint moves to another VTEP: its FDB entry follows
      EndpointPolicy moved = EndpointPolicy.of(new ProviderAddressPolicySetting("10.251.0.9"));
      b.hns.modifyEndpoint(
          id(rb),
          new ModificationRequest(
              "Policy", ModifyRequestType.UPDATE, Map.of("Policies", List.of(moved))));
      assertThat(TwoHosts.listing(b.host))
          .anyMatch(l -> l.startsWith("fdb ") && l.endsWith("dst 10.251.0.9"))
          .noneMatch(l -> l.startsWith("fdb ") && l.endsWith("dst " + TwoHosts.PA_A));

      a.hns.deleteEndpoint(id(ra));
      try (Rtnetlink h = Rtnetlink.open(a.host)) {
        assertThat(h.neighbours().fdbList(vxA)).noneMatch(f -> f.dst() != null);
        assertThat(h.neighbours().list(vxA)).noneMatch(n -> n.permanent());
      }
      assertThat(unreachable(ja.netns(), "10.99.0.20", 7000)).isTrue();
    }
    deleteAll(a);
    deleteAll(b);
    assertThat(TwoHosts.listing(a.host)).containsExactlyInAnyOrderElementsOf(beforeA);
    assertThat(TwoHosts.listing(b.host)).containsExactlyInAnyOrderElementsOf(beforeB);
    assertThat(a.hnsNetns()).isEmpty();
    assertThat(b.hnsNetns()).isEmpty();
  }

  /** {@code ip -n NETNS -d link show DEV}: the kernel's own view of the vxlan parameters. */
  static String ipDetail(String netns, String dev) throws Exception {
    Process p =
        new ProcessBuilder("ip", "-n", netns, "-d", "link", "show", dev)
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
    return out;
  }

  static NetworkPolicy routeTo(String prefix, String pa, String drMac) {
    return NetworkPolicy.of(new RemoteSubnetRoutePolicySetting(prefix, VSID, pa, drMac));
  }

  static ModificationRequest policies(ModifyRequestType type, NetworkPolicy... p) {
    return new ModificationRequest("Policy", type, Map.of("Policies", List.of(p)));
  }

  static HostComputeNetwork routed(String prefix, String gw, String pa, String dr) {
    HostComputeNetwork n = overlay(prefix, gw, pa, VSID);
    List<NetworkPolicy> p = new ArrayList<>(n.policies());
    p.add(NetworkPolicy.of(new DrMacAddressPolicySetting(dr)));
    return n.withPolicies(p);
  }

  @Test
  void remoteSubnetRoutesReachTheOtherHostsPrefixUntilRemoved() throws Exception {
    Lab a = hosts.a;
    Lab b = hosts.b;
    HostComputeNetwork na =
        a.hns.createNetwork(routed("10.98.1.0/24", "10.98.1.1", TwoHosts.PA_A, DR_A));
    // B gets its route at create, A through a network policy update
    HostComputeNetwork nb = routed("10.98.2.0/24", "10.98.2.1", TwoHosts.PA_B, DR_B);
    List<NetworkPolicy> pb = new ArrayList<>(nb.policies());
    pb.add(routeTo("10.98.1.0/24", TwoHosts.PA_A, DR_A));
    nb = b.hns.createNetwork(nb.withPolicies(pb));
    NetworkPolicy toB = routeTo("10.98.2.0/24", TwoHosts.PA_B, DR_B);
    a.hns.modifyNetwork(id(na), policies(ModifyRequestType.ADD, toB));
    Joined ja = join(a, na, "10.98.1.10");
    Joined jb = join(b, nb, "10.98.2.10");

    try (Rtnetlink h = Rtnetlink.open(a.host)) {
      assertThat(String.valueOf(h.links().get(Names.bridge(id(na))).mac()))
          .isEqualToIgnoringCase(DR_A.replace('-', ':'));
      assertThat(h.addresses().list(Names.bridge(id(na))))
          .extracting(IfAddress::prefix)
          .extracting(Object::toString)
          .contains("10.98.1.1/24");
    }
    try (ServerSocket sb = Lab.serve(jb.netns(), "0.0.0.0", 7001);
        ServerSocket sa = Lab.serve(ja.netns(), "0.0.0.0", 7001);
        ServerSocket gw = Lab.serve(a.host, "10.98.1.1", 7002)) {
      assertThat(Lab.call(ja.netns(), "10.98.2.10", 7001)).isEqualTo("peer=10.98.1.10");
      assertThat(Lab.call(jb.netns(), "10.98.1.10", 7001)).isEqualTo("peer=10.98.2.10");
      // host <-> local endpoints through the gateway address on the bridge
      assertThat(Lab.call(a.host, "10.98.1.10", 7001)).isEqualTo("peer=10.98.1.1");
      assertThat(Lab.call(ja.netns(), "10.98.1.1", 7002)).isEqualTo("peer=10.98.1.10");

      a.hns.modifyNetwork(id(na), policies(ModifyRequestType.REMOVE, toB));
      assertThat(TwoHosts.listing(a.host)).noneMatch(l -> l.startsWith("route 10.98.2.0/24"));
      assertThat(unreachable(ja.netns(), "10.98.2.10", 7001)).isTrue();
    }
    deleteAll(a);
    deleteAll(b);
    assertThat(TwoHosts.listing(a.host)).containsExactlyInAnyOrderElementsOf(beforeA);
    assertThat(TwoHosts.listing(b.host)).containsExactlyInAnyOrderElementsOf(beforeB);
  }

  @Test
  void invalidOverlayDocumentsAreRefusedWithNothingLeftBehind() throws Exception {
    HostNetworkService hns = hosts.a.hns;
    HostComputeNetwork noVsid =
        HostComputeNetwork.of("ov1", NetworkType.OVERLAY, Subnet.of("10.97.0.0/24", "10.97.0.1"));
    assertThatThrownBy(() -> hns.createNetwork(noVsid))
        .isInstanceOfSatisfying(
            HnsException.class,
            e -> assertThat(e.hresult()).isEqualTo(HResult.HCN_E_INVALID_POLICY))
        .hasMessageContaining("no VSID policy");
    assertThatThrownBy(
            () -> hns.createNetwork(overlay("10.97.0.0/24", "10.97.0.1", TwoHosts.PA_A, 1L << 24)))
        .isInstanceOfSatisfying(
            HnsException.class,
            e -> assertThat(e.hresult()).isEqualTo(HResult.HCN_E_INVALID_POLICY))
        .hasMessageContaining("not in 1-16777215");
    HostComputeNetwork badRoute =
        routed("10.97.0.0/24", "10.97.0.1", TwoHosts.PA_A, DR_A)
            .withPolicies(List.of(routeTo("10.96.0.0/33", TwoHosts.PA_B, DR_B)));
    assertThatThrownBy(() -> hns.createNetwork(badRoute))
        .isInstanceOfSatisfying(
            HnsException.class,
            e -> assertThat(e.hresult()).isEqualTo(HResult.HCN_E_INVALID_POLICY))
        .hasMessageContaining("DestinationPrefix");
    HostComputeNetwork n =
        hns.createNetwork(overlay("10.97.0.0/24", "10.97.0.1", TwoHosts.PA_A, VSID));
    assertThatThrownBy(
            () ->
                hns.modifyNetwork(
                    id(n),
                    policies(ModifyRequestType.ADD, routeTo("10.96.0.1/24", TwoHosts.PA_B, DR_B))))
        .isInstanceOfSatisfying(
            HnsException.class,
            e -> assertThat(e.hresult()).isEqualTo(HResult.HCN_E_INVALID_POLICY))
        .hasMessageContaining("host bits set");
    assertThat(hns.getNetworkById(id(n)).policies()).hasSize(1);
    hns.deleteNetwork(id(n));
    assertThat(hns.listNetworks(null)).isEmpty();
    assertThat(TwoHosts.listing(hosts.a.host)).containsExactlyInAnyOrderElementsOf(beforeA);
  }
}
