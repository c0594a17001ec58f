package dev.silo.linux.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Real-kernel nftables batches inside private namespaces, through libnftables and nft. */
class NftablesIT {
  private static final String TABLE = "silo_it_" + ProcessHandle.current().pid();
  private final NetFixture net = new NetFixture();

  @AfterEach
  void cleanup() {
    net.close();
  }

  private static InetAddress ip(String s) throws Exception {
    return InetAddress.getByName(s);
  }

  /** A client namespace wired to a server namespace by a veth, VIPs routed onto the link. */
  private static void wire(NetNs cli, NetNs srv) {
    try (Rtnetlink rc = Rtnetlink.open(cli);
        Rtnetlink rs = Rtnetlink.open(srv)) {
      rc.links().addVeth("eth0", "eth0", srv);
      rc.addresses().add("eth0", IpPrefix.parse("10.50.0.1/24"));
      rs.addresses().add("eth0", IpPrefix.parse("10.50.0.2/24"));
      rc.links().setUp("eth0");
      rs.links().setUp("eth0");
      rc.routes().add(Route.direct(IpPrefix.parse("10.99.0.0/16"), "eth0"));
    }
  }

  private static String serviceTable() {
    return """
        table ip %1$s {
          map svc {
            type ipv4_addr . inet_service : ipv4_addr . inet_service
          }
          chain out {
            type nat hook output priority -100; policy accept;
            meta l4proto tcp dnat ip to ip daddr . tcp dport map @svc
          }
        }
        add element ip %1$s svc { 10.99.0.1 . 80 : 10.50.0.2 . 8080 }
        """
        .formatted(TABLE);
  }

  @Test
  void mapDnatBatchIsObservedByTcpAndStaysInItsNamespace() throws Exception {
    NetNs cli = net.netns("nc");
    NetNs srv = net.netns("ns");
    wire(cli, srv);
    try (Nftables nft = Nftables.open(cli)) {
      assertThat(Nftables.libnftablesUnavailabilityCause()).isNull();
      assertThat(nft.backend()).isEqualTo("libnftables");
      nft.apply(serviceTable());
      assertThat(NetFixture.tcp(srv, ip("10.50.0.2"), 8080, cli, ip("10.99.0.1"), 80))
          .isEqualTo("10.50.0.1");
      // the context's netlink socket lives in the namespace: the host has no such table
      assertThat(NetFixture.run("nft", "list", "tables")).doesNotContain(TABLE);
      assertThat(NetFixture.run("ip", "netns", "exec", cli.name(), "nft", "list", "tables"))
          .contains("table ip " + TABLE);

      int n = 200;
      long total = 0;
      long min = Long.MAX_VALUE;
      for (int i = 0; i < n; i++) {
        String e = "10.99.1.%d . 80 : 10.50.0.2 . 8080".formatted(i + 1);
        long t0 = System.nanoTime();
        nft.apply("add element ip " + TABLE + " svc { " + e + " }");
        long dt = System.nanoTime() - t0;
        total += dt;
        min = Math.min(min, dt);
      }
      System.out.printf(
          "MEASURE nft map element add via kept libnftables context: mean %.3f ms, min %.3f ms"
              + " (n=%d)%n",
          total / 1e6 / n, min / 1e6, n);
      assertThat(NetFixture.tcp(srv, ip("10.50.0.2"), 8080, cli, ip("10.99.1.7"), 80))
          .isEqualTo("10.50.0.1");

      String json = nft.listTableJson("ip", TABLE);
      assertThat(json).startsWith("{\"nftables\"").contains("\"svc\"", "10.99.1.7", "10.99.0.1");
      try (Nftables proc = NftProcess.open(cli)) {
        assertThat(proc.listTableJson("ip", TABLE)).contains("\"svc\"", "10.99.1.200");
      }
      nft.apply("delete table ip " + TABLE);
      assertThat(NetFixture.run("ip", "netns", "exec", cli.name(), "nft", "list", "ruleset"))
          .doesNotContain(TABLE);
    }
  }

  @Test
  void badBatchFailsAtomicallyWithNftsMessage() {
    NetNs ns = net.netns("nb");
    try (Nftables nft = Nftables.open(ns)) {
      nft.apply("table ip keep { }");
      // the kernel refuses the last command: the table and chain before it must not appear
      // (nft 1.0.6 points its message at the batch's first command, not the failing one)
      assertThatThrownBy(
              () -> nft.apply("add table ip bad1\nadd chain ip bad1 c\ncreate table ip keep\n"))
          .isInstanceOf(NetException.class)
          .hasMessageStartingWith(
              "nft netns %s: Could not process rule: File exists (".formatted(ns.name()))
          .hasMessageNotContaining("\n");
      // a parse error: nothing reaches the kernel
      assertThatThrownBy(() -> nft.apply("add table ip bad2\nadd rule ip bad2 c bogus\n"))
          .hasMessageStartingWith("nft netns " + ns.name() + ": syntax error")
          .hasMessageNotContaining("\n");
      String tables = NetFixture.run("ip", "netns", "exec", ns.name(), "nft", "list", "tables");
      assertThat(tables).contains("table ip keep").doesNotContain("bad1", "bad2");
      nft.apply("delete table ip keep");
    }
  }

  @Test
  void processFallbackAppliesAtomicallyInTheNamespace() throws Exception {
    NetNs cli = net.netns("pc");
    NetNs srv = net.netns("ps");
    wire(cli, srv);
    try (Nftables proc = NftProcess.open(cli)) {
      assertThat(proc.backend()).isEqualTo("nft process");
      proc.apply(serviceTable());
      assertThat(NetFixture.tcp(srv, ip("10.50.0.2"), 8080, cli, ip("10.99.0.1"), 80))
          .isEqualTo("10.50.0.1");
      assertThatThrownBy(() -> proc.apply("add table ip bad3\ncreate table ip " + TABLE + "\n"))
          .hasMessageContaining("File exists");
      assertThat(NetFixture.run("ip", "netns", "exec", cli.name(), "nft", "list", "tables"))
          .contains(TABLE)
          .doesNotContain("bad3");
      assertThat(NetFixture.run("nft", "list", "tables")).doesNotContain(TABLE);
      proc.apply("delete table ip " + TABLE);
    }
  }
}
