package dev.silo.linux.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.silo.linux.net.NftSetElements.Element;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Set and map elements written as raw nfnetlink batches, read back by {@code nft} (the oracle) in a
 * private namespace: layout, comments, all-or-nothing batches, exact deletes, real DNAT.
 */
class NftSetElementsIT {
  private static final String T = "silo_el";
  private final NetFixture net = new NetFixture();

  @AfterEach
  void cleanup() {
    net.close();
  }

  private static String table() {
    return "add table ip silo_el\n"
        + "add set ip silo_el fronts { type ipv4_addr . inet_proto . inet_service; }\n"
        + "add map ip silo_el r2 { typeof ip daddr . meta l4proto . th dport"
        + " . numgen random mod 2 : ip daddr . th dport; }\n"
        + "add chain ip silo_el out { type nat hook output priority -100; }\n"
        + "add rule ip silo_el out dnat ip to ip daddr . meta l4proto . th dport"
        + " . numgen random mod 2 map @r2\n";
  }

  private static Element front(String vip, String owner) {
    return new Element("fronts", NftConcat.of().ipv4(vip).proto(6).port(80), null, owner);
  }

  private static Element slot(String vip, int slot, String backend, String owner) {
    return new Element(
        "r2",
        NftConcat.of().ipv4(vip).proto(6).port(80).u32(slot),
        NftConcat.of().ipv4(backend).port(8080),
        owner);
  }

  private static String list(NetNs ns, String... args) {
    List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns.name(), "nft"));
    cmd.addAll(List.of(args));
    cmd.addAll(List.of("list", "table", "ip", T));
    return NetFixture.run(cmd.toArray(String[]::new));
  }

  @Test
  void elementsAreListedByNftWithKeyDataAndCommentAndCarryTraffic() throws Exception {
    NetNs cli = net.netns("ec");
    NetNs srv = net.netns("es");
    try (Rtnetlink rc = Rtnetlink.open(cli);
        Rtnetlink rs = Rtnetlink.open(srv)) {
      rc.links().addVeth("eth0", "eth0", srv);
      rc.addresses().add("eth0", IpPrefix.parse("10.50.0.1/24"));
      rs.addresses().add("eth0", IpPrefix.parse("10.50.0.2/24"));
      rc.links().setUp("eth0");
      rs.links().setUp("eth0");
      rc.routes().add(Route.direct(IpPrefix.parse("10.99.0.0/16"), "eth0"));
    }
    try (Nftables nft = Nftables.open(cli);
        NftSetElements els = NftSetElements.open(cli)) {
      nft.apply(table());
      els.apply(
          "ip",
          T,
          List.of(),
          List.of(
              front("10.99.0.1", "lb:a"),
              slot("10.99.0.1", 0, "10.50.0.2", "lb:a"),
              slot("10.99.0.1", 1, "10.50.0.2", "lb:a")));
      String text = list(cli);
      assertThat(text)
          .contains("10.99.0.1 . tcp . 80 comment \"lb:a\"")
          .contains("10.99.0.1 . tcp . 80 . 0 comment \"lb:a\" : 10.50.0.2 . 8080")
          .contains("10.99.0.1 . tcp . 80 . 1 comment \"lb:a\" : 10.50.0.2 . 8080");
      String json = list(cli, "-j");
      assertThat(json)
          .contains("\"comment\": \"lb:a\"")
          .contains("{\"concat\": [\"10.99.0.1\", \"tcp\", 80, 1]}")
          .contains("{\"concat\": [\"10.50.0.2\", 8080]}");
      // the kernel's own lookup: a TCP connection to the VIP reaches the backend address
      assertThat(
              NetFixture.tcp(
                  srv,
                  InetAddress.getByName("10.50.0.2"),
                  8080,
                  cli,
                  InetAddress.getByName("10.99.0.1"),
                  80))
          .isEqualTo("10.50.0.1");
      // elements written here are nft's own: nft deletes them by key
      nft.apply("delete element ip silo_el fronts { 10.99.0.1 . tcp . 80 }\n");
      assertThat(list(cli)).doesNotContain("10.99.0.1 . tcp . 80 comment");
    }
  }

  @Test
  void oneBadElementLeavesNothingAndIsNamed() {
    NetNs ns = net.netns("eb");
    try (Nftables nft = Nftables.open(ns);
        NftSetElements els = NftSetElements.open(ns)) {
      nft.apply(table());
      els.apply("ip", T, List.of(), List.of(front("10.99.0.9", "lb:keep")));
      String before = list(ns);
      // thousands of good elements over several messages, then a key that exists
      List<Element> batch = new ArrayList<>();
      for (int i = 0; i < 3000; i++) {
        batch.add(front("10.98." + (i / 250) + "." + (i % 250 + 1), "lb:new"));
      }
      batch.add(front("10.99.0.9", "lb:dup"));
      batch.add(front("10.97.0.1", "lb:new"));
      assertThatThrownBy(() -> els.apply("ip", T, List.of(), batch))
          .isInstanceOf(NetException.class)
          .hasMessage(
              "nft create element netns %s ip silo_el fronts { 10.99.0.9 . tcp . 80"
                  + " comment \"lb:dup\" }: File exists",
              ns.name())
          .satisfies(e -> assertThat(((NetException) e).errno()).isEqualTo(Libc.EEXIST));
      assertThat(list(ns)).isEqualTo(before);

      // a key of the wrong length (a map key given to the set) in a delete-and-create batch
      Element wrong =
          new Element(
              "fronts", NftConcat.of().ipv4("10.96.0.1").proto(6).port(80).u32(0), null, "x");
      assertThatThrownBy(
              () ->
                  els.apply(
                      "ip",
                      T,
                      List.of(front("10.99.0.9", "lb:keep")),
                      List.of(front("10.96.0.2", "lb:new"), wrong)))
          .hasMessageStartingWith(
              "nft create element netns %s ip silo_el fronts { 10.96.0.1 . tcp . 80 . 0"
                  .formatted(ns.name()));
      assertThat(list(ns)).isEqualTo(before);

      // deleting what is not there fails, naming it, and deletes nothing else either
      assertThatThrownBy(
              () ->
                  els.apply(
                      "ip",
                      T,
                      List.of(front("10.99.0.9", "lb:keep"), front("10.99.0.8", "lb:gone")),
                      List.of()))
          .hasMessage(
              "nft delete element netns %s ip silo_el fronts { 10.99.0.8 . tcp . 80"
                  + " comment \"lb:gone\" }: No such file or directory",
              ns.name());
      assertThat(list(ns)).isEqualTo(before);
    }
  }

  @Test
  void deleteRemovesExactlyThoseAndLargeBatchesLandWhole() {
    NetNs ns = net.netns("ed");
    try (Nftables nft = Nftables.open(ns);
        NftSetElements els = NftSetElements.open(ns)) {
      nft.apply(table());
      List<Element> all = new ArrayList<>();
      for (int i = 0; i < 5000; i++) {
        String vip = "10.96." + (i / 250) + "." + (i % 250 + 1);
        all.add(front(vip, "lb:" + i));
        all.add(slot(vip, 0, "172.31.0.2", "lb:" + i));
        all.add(slot(vip, 1, "172.31.0.3", "lb:" + i));
      }
      els.apply("ip", T, List.of(), all);
      String text = list(ns);
      assertThat(count(text, "comment \"lb:")).isEqualTo(15_000);

      // delete one LB's slot 1 and re-create it with another backend: one transaction
      Element old = slot("10.96.0.8", 1, "172.31.0.3", "lb:7");
      Element now = slot("10.96.0.8", 1, "172.31.0.4", "lb:7");
      els.apply("ip", T, List.of(old, front("10.96.0.9", "lb:8")), List.of(now));
      String after = list(ns);
      assertThat(after)
          .contains("10.96.0.8 . tcp . 80 . 1 comment \"lb:7\" : 172.31.0.4 . 8080")
          .doesNotContain("10.96.0.8 . tcp . 80 . 1 comment \"lb:7\" : 172.31.0.3 . 8080")
          .doesNotContain("10.96.0.9 . tcp . 80 comment \"lb:8\"")
          .contains("10.96.0.9 . tcp . 80 . 1 comment \"lb:8\" : 172.31.0.3 . 8080")
          .contains("10.96.0.10 . tcp . 80 comment \"lb:9\"");
      assertThat(count(after, "comment \"lb:")).isEqualTo(14_999);

      els.apply("ip", T, all.subList(0, 3), List.of());
      assertThat(list(ns)).doesNotContain("comment \"lb:0\"").contains("comment \"lb:1\"");
      nft.apply("delete table ip " + T + "\n");
    }
  }

  private static int count(String text, String what) {
    int n = 0;
    for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
      n++;
    }
    return n;
  }
}
