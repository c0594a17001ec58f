package dev.silo.daemon.docker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.silo.daemon.Log;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** Which names the embedded resolver answers, and with what, from the container records. */
class NetworkDnsTest {
  private static final NetworkRecord N1 = network("a", "n1", "10.1.0.1", false);
  private static final NetworkRecord N2 = network("b", "n2", "10.2.0.1", false);

  private static NetworkRecord network(String id, String name, String gw, boolean predefined) {
    return new NetworkRecord(
        id.repeat(64),
        name,
        "hns-" + name,
        "nat",
        "2026-12-07T00:00:00Z",
        Map.of(),
        Map.of(),
        List.of(new NetworkRecord.IpamBlock(gw.replaceAll("\\.1$", ".0/24"), gw, "")),
        false,
        false,
        predefined);
  }

  private static ContainerRecord.Endpoint on(NetworkRecord n, String ip, String... aliases) {
    return new ContainerRecord.Endpoint(
        n.name(), n.id(), "ep-" + ip, ip, 24, "", "", "", List.of(aliases));
  }

  private static ContainerRecord container(
      String id, String name, ContainerRecord.Endpoint... eps) {
    return new ContainerRecord(
        id.repeat(64),
        "/" + name,
        "",
        "busybox",
        "sha256:1",
        Json.object(),
        Json.object(),
        "n1",
        "ns",
        List.of(eps),
        List.of(),
        ContainerRecord.ZERO_TIME,
        ContainerRecord.ZERO_TIME,
        0,
        0,
        false,
        false);
  }

  private static final List<ContainerRecord> ALL =
      List.of(
          container("1", "web", on(N1, "10.1.0.2", "www")),
          container("2", "web2", on(N1, "10.1.0.3", "www")),
          container("3", "old", on(N1, "10.1.0.4")),
          container("4", "client", on(N1, "10.1.0.9"), on(N2, "10.2.0.9")),
          container("5", "db", on(N2, "10.2.0.5")));
  private static final Set<String> STOPPED = Set.of("3".repeat(64));

  private static @Nullable List<String> resolve(String name, String src) {
    NetworkDns.Resolution r =
        NetworkDns.resolve(name, N1, src, ALL, c -> !STOPPED.contains(c.id()));
    return r.addresses() == null
        ? null
        : r.addresses().stream().map(InetAddress::getHostAddress).toList();
  }

  @Test
  void nameShortIdAndAliasResolveOnTheNetwork() {
    assertThat(resolve("web", "10.1.0.9")).containsExactly("10.1.0.2");
    assertThat(resolve("web.n1", "10.1.0.9")).containsExactly("10.1.0.2");
    assertThat(resolve("1".repeat(12), "10.1.0.9")).containsExactly("10.1.0.2");
    assertThat(resolve("WEB2", "10.1.0.9")).containsExactly("10.1.0.3");
  }

  @Test
  void anAliasSharedByTwoContainersAnswersBoth() {
    assertThat(resolve("www", "10.1.0.9")).containsExactly("10.1.0.2", "10.1.0.3");
  }

  @Test
  void stoppedContainersAndUnknownNamesDoNotResolve() {
    assertThat(resolve("old", "10.1.0.9")).isNull();
    assertThat(resolve("nobody", "10.1.0.9")).isNull();
    assertThat(NetworkDns.resolve("nobody", N1, "10.1.0.9", ALL, c -> true).inZone()).isTrue();
    assertThat(NetworkDns.resolve("x.n1", N1, "10.1.0.9", ALL, c -> true).inZone()).isTrue();
    assertThat(NetworkDns.resolve("example.com", N1, "10.1.0.9", ALL, c -> true).inZone())
        .isFalse();
  }

  @Test
  void theAskersOtherNetworksAreSearchedAfterThisOne() {
    assertThat(resolve("db", "10.1.0.9")).containsExactly("10.2.0.5"); // client is on n2 too
    assertThat(resolve("db.n2", "10.1.0.9")).containsExactly("10.2.0.5");
    assertThat(resolve("db", "10.1.0.2")).isNull(); // web is on n1 only
  }

  @Test
  void anAskerOnlyOnAnotherNetworkGetsThatNetworksNamesOnly() {
    // db is on n2 only but reaches n1's gateway through the host: no n1 names for it
    assertThat(resolve("web", "10.2.0.5")).isNull();
    assertThat(resolve("client", "10.2.0.5")).containsExactly("10.2.0.9");
    // an address that is no container's (the host itself) sees n1
    assertThat(resolve("web", "10.1.0.1")).containsExactly("10.1.0.2");
  }

  @Test
  void theDefaultNetworkAndOtherDriversHaveNoResolver() {
    assertThat(NetworkDns.serves(N1)).isTrue();
    assertThat(NetworkDns.serves(network("c", "nat", "172.17.0.1", true))).isFalse();
  }

  @Test
  void aDatagramIsAnsweredWithRcodesAsDockerdsResolver() {
    NetworkDns dns =
        new NetworkDns(
            null,
            () -> ALL,
            c -> !STOPPED.contains(c.id()),
            new Log("error", new PrintStream(OutputStream.nullOutputStream())));
    byte[] a = reply(dns, "web", DnsMessage.TYPE_A);
    assertThat(a[3] & 0xF).isZero();
    assertThat(a[7]).isEqualTo((byte) 1);
    assertThat(HexFormat.of().formatHex(Arrays.copyOfRange(a, a.length - 4, a.length)))
        .isEqualTo("0a010002");
    byte[] aaaa = reply(dns, "web", DnsMessage.TYPE_AAAA); // known, no IPv6: empty NOERROR
    assertThat(aaaa[3] & 0xF).isZero();
    assertThat(aaaa[7]).isZero();
    assertThat(reply(dns, "old", DnsMessage.TYPE_A)[3] & 0xF).isEqualTo(DnsMessage.NXDOMAIN);
    assertThat(reply(dns, "example.com", DnsMessage.TYPE_A)[3] & 0xF).isEqualTo(DnsMessage.REFUSED);
  }

  private static byte[] reply(NetworkDns dns, String name, int type) {
    byte[] q = DnsMessageTest.query(42, 0x0100, 1, name, type);
    byte[] r = dns.reply(N1, "10.1.0.9", q, q.length);
    assertThat(r).isNotNull();
    return Objects.requireNonNull(r);
  }
}
