package dev.silo.hns.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.silo.hns.HostNetworkService;
import dev.silo.linux.net.IpPrefix;
import dev.silo.linux.net.NetNs;
import dev.silo.linux.net.Nftables;
import dev.silo.linux.net.Route;
import dev.silo.linux.net.Rtnetlink;
import dev.silo.schema.hcn.HostComputeEndpoint;
import dev.silo.schema.hcn.HostComputeLoadBalancer;
import dev.silo.schema.hcn.HostComputeNamespace;
import dev.silo.schema.hcn.HostComputeNetwork;
import dev.silo.schema.hcn.LoadBalancerPortMapping;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HNS load balancers end to end on real namespaces and nftables (run as root): three backend
 * namespaces each answering its own name, a client endpoint on the same bridge and one outside.
 */
class LoadBalancerIT {
  static final String VIP = "10.96.0.10";
  static final String GATEWAY = NatDataplaneIT.GATEWAY;
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  Lab lab;
  HostNetworkService hns;
  HostComputeNetwork net;
  final List<HostComputeEndpoint> backends = new ArrayList<>();
  final List<NetNs> backendNs = new ArrayList<>();
  final List<ServerSocket> servers = new ArrayList<>();
  NetNs client;

  @BeforeEach
  void setUp() throws Exception {
    lab = new Lab(dir);
    hns = lab.hns;
    net = hns.createNetwork(NatDataplaneIT.natNetwork());
    for (int i = 1; i <= 3; i++) {
      HostComputeEndpoint ep = hns.createEndpoint(NatDataplaneIT.endpoint("be" + i, net));
      NetNs ns = attach(ep);
      backends.add(ep);
      backendNs.add(ns);
      servers.add(serveName(ns, "be" + i));
    }
    client = attach(hns.createEndpoint(NatDataplaneIT.endpoint("client", net)));
    try (Rtnetlink e = Rtnetlink.open(lab.ext)) {
      // the service range is routed to the HNS host, as a cluster routes it to a node
      e.routes()
          .add(
              Route.via(
                  IpPrefix.parse("10.96.0.0/16"), InetAddress.ofLiteral(Lab.UPLINK_HOST), "ext0"));
    }
  }

  @AfterEach
  void tearDown() throws IOException {
    for (ServerSocket s : servers) {
      s.close();
    }
    lab.close();
  }

  NetNs attach(HostComputeEndpoint ep) throws Exception {
    HostComputeNamespace ns = hns.createNamespace(HostComputeNamespace.host());
    hns.addNamespaceEndpoint(NatDataplaneIT.id(ns), NatDataplaneIT.id(ep));
    return NetNs.ofPath(lab.dp.netnsPath(NatDataplaneIT.id(ns)));
  }

  /** A TCP server on 0.0.0.0:8080 in {@code ns} answering "NAME PEER-ADDRESS" per connection. */
  static ServerSocket serveName(NetNs ns, String name) throws IOException {
    ServerSocket server =
        NetNs.run(
            ns,
            () -> {
              ServerSocket s = new ServerSocket();
              s.setReuseAddress(true);
              s.bind(new InetSocketAddress(InetAddress.ofLiteral("0.0.0.0"), 8080));
              return s;
            });
    Thread.ofVirtual()
        .start(
            () -> {
              while (!server.isClosed()) {
                try (Socket c = server.accept();
                    PrintWriter out =
                        new PrintWriter(c.getOutputStream(), true, StandardCharsets.UTF_8)) {
                  out.println(name + " " + c.getInetAddress().getHostAddress());
                } catch (IOException e) {
                  // closed by the test
                }
              }
            });
    return server;
  }

  static HostComputeLoadBalancer lb(
      List<HostComputeEndpoint> eps, int flags, int distribution, String vip) {
    return new HostComputeLoadBalancer(
        null,
        eps.stream().map(NatDataplaneIT::id).toList(),
        null,
        List.of(vip),
        List.of(new LoadBalancerPortMapping(6, 8080, 80, distribution, 0)),
        null,
        flags);
  }

  /** The backend names (first word of each answer) of {@code n} connections to VIP:80. */
  static List<String> answers(NetNs from, int n) throws IOException {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(Lab.call(from, VIP, 80));
    }
    return out;
  }

  static Set<String> names(List<String> answers) {
    Set<String> out = new HashSet<>();
    answers.forEach(a -> out.add(a.split(" ")[0]));
    return out;
  }

  /** Elements of table ip silolb by map name, optionally only those of one owner comment. */
  List<String> elements(String owner) throws IOException {
    List<String> out = new ArrayList<>();
    try (Nftables nft = Nftables.open(lab.host)) {
      JsonNode root = JSON.readTree(nft.listTableJson("ip", "silolb"));
      for (JsonNode item : root.path("nftables")) {
        JsonNode set = item.has("map") ? item.get("map") : item.path("set");
        for (JsonNode e : set.path("elem")) {
          // a map element is [key, value], a set element the key alone
          String comment = (e.isArray() ? e.path(0) : e).path("elem").path("comment").asText();
          if (owner.isEmpty() || comment.equals("lb:" + owner)) {
            out.add(set.path("name").asText() + " " + e);
          }
        }
      }
    }
    return out;
  }

  @Test
  void spreadsOverBackendsModifiesByElementDiffAndRemovesEverything() throws Exception {
    HostComputeLoadBalancer lb = hns.createLoadBalancer(lb(backends, 0, 0, VIP));
    String id = Objects.requireNonNull(lb.id());
    List<String> three = answers(client, 30);
    assertThat(names(three)).containsExactlyInAnyOrder("be1", "be2", "be3");
    // not DSR: masqueraded, so a client on the backends' own bridge gets its replies
    assertThat(three).allMatch(a -> a.endsWith(" " + GATEWAY));
    assertThat(names(answers(lab.ext, 30))).containsExactlyInAnyOrder("be1", "be2", "be3");
    List<String> before = elements(id);
    assertThat(before).hasSize(1 + 3);

    hns.updateLoadBalancer(id, lb(backends.subList(0, 2), 0, 0, VIP).withId(id));
    List<String> after = elements(id);
    // 3 slots of r3 deleted, 2 of r2 added, the fronts claim untouched
    assertThat(after).hasSize(before.size() - 3 + 2);
    assertThat(after)
        .noneMatch(e -> e.startsWith("r3 "))
        .filteredOn(e -> e.startsWith("r2 "))
        .hasSize(2);
    assertThat(names(answers(client, 30))).containsExactlyInAnyOrder("be1", "be2");

    hns.deleteLoadBalancer(id);
    assertThat(elements("")).isEmpty();
    assertThatThrownBy(() -> Lab.call(lab.ext, VIP, 80)).isInstanceOf(IOException.class);
  }

  @Test
  void sourceIpAffinityKeepsAClientOnOneBackendAndDsrKeepsItsAddress() throws Exception {
    HostComputeLoadBalancer lb = hns.createLoadBalancer(lb(backends, 1, 2, VIP));
    List<String> ext = answers(lab.ext, 20);
    assertThat(names(ext)).hasSize(1);
    // DSR: no SNAT, the backend sees the outside client's own address
    assertThat(ext).allMatch(a -> a.endsWith(" " + Lab.UPLINK_EXT));
    assertThat(names(answers(lab.ext, 10))).isEqualTo(names(ext));

    String id = Objects.requireNonNull(lb.id());
    hns.updateLoadBalancer(id, lb(backends, 0, 2, VIP).withId(id));
    List<String> masq = answers(lab.ext, 20);
    assertThat(names(masq)).isEqualTo(names(ext));
    assertThat(masq).allMatch(a -> a.endsWith(" " + GATEWAY));
    hns.deleteLoadBalancer(id);
    assertThat(elements("")).isEmpty();
  }

  @Test
  void reconcileRemovesTheElementsOfAnOrphanLoadBalancer() throws Exception {
    HostComputeLoadBalancer kept = hns.createLoadBalancer(lb(backends.subList(0, 2), 0, 0, VIP));
    String orphan = UUID.randomUUID().toString();
    try (Nftables nft = Nftables.open(lab.host)) {
      // what a crash between the kernel change and the store commit leaves: elements no row owns
      String c = " comment \"lb:" + orphan + "\"";
      nft.apply(
          "add element ip silolb fronts { 10.96.0.99 . tcp . 80"
              + c
              + " }\n"
              + "add element ip silolb r2 { 10.96.0.99 . tcp . 80 . 0"
              + c
              + " : 172.31.77.9 . 8080 }\n"
              + "add element ip silolb r2 { 10.96.0.99 . tcp . 80 . 1"
              + c
              + " : 172.31.77.9 . 8080 }\n");
    }
    assertThat(elements(orphan)).hasSize(3);
    var report = hns.reconcile();
    assertThat(report.failed()).isEmpty();
    assertThat(report.orphansRemoved()).anyMatch(o -> o.contains(orphan));
    assertThat(elements(orphan)).isEmpty();
    assertThat(elements(Objects.requireNonNull(kept.id()))).hasSize(3);
    assertThat(names(answers(client, 20))).containsExactlyInAnyOrder("be1", "be2");
    hns.deleteLoadBalancer(Objects.requireNonNull(kept.id()));
    assertThat(elements("")).isEmpty();
  }

  @Test
  void aRestartedServiceDiffsAgainstWhatTheKernelHolds() throws Exception {
    String id = Objects.requireNonNull(hns.createLoadBalancer(lb(backends, 0, 0, VIP)).id());
    // a second dataplane on the same host and store: its first call reads the table back
    try (LinuxDataplane dp2 = LinuxDataplane.open(lab.hostName)) {
      HostNetworkService hns2 = HostNetworkService.open(lab.options().withDataplane(dp2));
      hns2.updateLoadBalancer(id, lb(backends.subList(1, 3), 0, 0, VIP).withId(id));
      assertThat(elements(id)).hasSize(1 + 2);
      assertThat(names(answers(client, 30))).containsExactlyInAnyOrder("be2", "be3");
      hns2.updateLoadBalancer(id, lb(backends, 0, 0, VIP).withId(id));
      assertThat(elements(id)).hasSize(1 + 3);
      hns2.deleteLoadBalancer(id);
    }
    assertThat(elements("")).isEmpty();
  }

  @Test
  void aSecondLoadBalancerOnTheSameFrontendFailsAndLeavesTheFirstAlone() throws Exception {
    String id = Objects.requireNonNull(hns.createLoadBalancer(lb(backends, 0, 0, VIP)).id());
    assertThatThrownBy(() -> hns.createLoadBalancer(lb(backends, 0, 0, VIP)))
        .isInstanceOf(dev.silo.api.HnsException.class)
        .hasMessageContaining("File exists");
    assertThat(hns.listLoadBalancers(null)).hasSize(1);
    assertThat(elements("")).hasSize(1 + 3);
    assertThat(names(answers(client, 30))).containsExactlyInAnyOrder("be1", "be2", "be3");
    hns.deleteLoadBalancer(id);
    assertThat(elements("")).isEmpty();
  }

  @Test
  void aBulkCreateIsOneChangeAndAllOrNothing() throws Exception {
    List<HostComputeLoadBalancer> many = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      many.add(lb(backends, 0, 0, "10.96.1." + (i + 1)));
    }
    many.add(lb(backends, 0, 0, VIP));
    List<HostComputeLoadBalancer> made = hns.createLoadBalancers(many);
    assertThat(made).hasSize(51).allMatch(lb -> lb.id() != null);
    // per LB: the fronts claim + 3 slots of r3
    assertThat(elements("")).hasSize(51 * 4);
    assertThat(names(answers(client, 30))).containsExactlyInAnyOrder("be1", "be2", "be3");

    // a batch with one taken frontend fails as a whole: no new row, no new element
    List<HostComputeLoadBalancer> clash =
        List.of(lb(backends, 0, 0, "10.96.2.1"), lb(backends, 0, 0, VIP));
    assertThatThrownBy(() -> hns.createLoadBalancers(clash))
        .isInstanceOf(dev.silo.api.HnsException.class)
        .hasMessageContaining("File exists")
        // the kernel's extended ACK points at the refused element, and the error names it
        .hasMessageContaining("nft create element")
        .hasMessageContaining("fronts { " + VIP + " . tcp . ");
    assertThat(hns.listLoadBalancers(null)).hasSize(51);
    assertThat(elements("")).hasSize(51 * 4);

    for (HostComputeLoadBalancer lb : made) {
      hns.deleteLoadBalancer(Objects.requireNonNull(lb.id()));
    }
    assertThat(elements("")).isEmpty();
  }
}
