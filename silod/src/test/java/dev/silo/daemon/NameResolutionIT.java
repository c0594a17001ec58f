package dev.silo.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Containers on a user network reach each other by name through silod's embedded DNS server, with
 * the stock docker CLI and busybox's nslookup/nc inside: name, alias and short id resolve to the
 * address on the network, {@code --ip} and {@code --network-alias} of {@code docker run} are
 * honoured, a connect, disconnect or remove changes the answers at once, the default {@code nat}
 * network has no resolver (as dockerd's default bridge), and a removed network leaves no listener.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NameResolutionIT {
  private static final String IMAGE = "busybox:latest";
  private static final String WEB_IP = "10.97.1.50";

  private static SilodProcess d;

  @BeforeAll
  static void start() throws Exception {
    d = SilodProcess.startShort("sdn");
    d.loadBusybox(IMAGE);
    Path www = Files.createDirectories(d.base.resolve("www"));
    Files.writeString(www.resolve("index.html"), "hello by name\n");
    d.ok("network", "create", "-d", "nat", "--subnet", "10.97.1.0/24", "n1");
    d.ok(
        "run",
        "-d",
        "--name",
        "web",
        "--network",
        "n1",
        "--ip",
        WEB_IP,
        "--network-alias",
        "web2",
        "-v",
        www + ":/www:ro",
        IMAGE,
        "busybox",
        "httpd",
        "-f",
        "-p",
        "80",
        "-h",
        "/www");
  }

  @AfterAll
  static void stop() throws Exception {
    if (d != null) {
      d.docker("rm", "-f", "web", "natweb", "bad");
      d.docker("network", "rm", "n1");
      d.close();
    }
  }

  private static JsonNode inspect(String what) throws IOException {
    return SilodProcess.JSON.readTree(d.ok("inspect", what).out()).get(0);
  }

  /** A one-off client on {@code network} running {@code script} under sh. */
  private static SilodProcess.Result client(String network, String script) {
    return d.docker("run", "--rm", "--network", network, IMAGE, "sh", "-c", script);
  }

  /**
   * GET / of {@code host}:80 from a fresh client on n1 (Debian's static busybox wget segfaults).
   */
  private static SilodProcess.Result get(String host) {
    return client("n1", "printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 3 " + host + " 80");
  }

  @Test
  @Order(10)
  void runsIpAndAliasAreTheFirstEndpointsSettings() throws IOException {
    JsonNode n1 = inspect("web").path("NetworkSettings").path("Networks").path("n1");
    assertThat(n1.path("IPAddress").asText()).isEqualTo(WEB_IP);
    assertThat(n1.path("IPAMConfig").path("IPv4Address").asText()).isEqualTo(WEB_IP);
    assertThat(n1.path("Aliases").toString()).contains("\"web2\"");
    String addr = d.ok("exec", "web", "busybox", "ip", "-o", "-4", "addr", "show", "eth0").out();
    assertThat(addr).contains("inet " + WEB_IP + "/24");
  }

  @Test
  @Order(20)
  void aClientResolvesTheNameAndFetchesThePage() {
    SilodProcess.Result conf = client("n1", "cat /etc/resolv.conf");
    assertThat(conf.out()).contains("nameserver 10.97.1.1");
    SilodProcess.Result ns = client("n1", "nslookup web");
    assertThat(ns.exit()).as(ns.out() + ns.err()).isZero();
    assertThat(ns.out()).contains("Address: " + WEB_IP);
    SilodProcess.Result page = get("web");
    assertThat(page.exit()).as(page.err()).isZero();
    assertThat(page.out()).contains("200 OK").endsWith("\r\n\r\nhello by name\n");
  }

  @Test
  @Order(30)
  void theAliasTheShortIdAndTheNetworkSuffixResolveToo() throws IOException {
    String shortId = inspect("web").path("Id").asText().substring(0, 12);
    for (String name : List.of("web2", shortId, "web.n1", "WEB")) {
      SilodProcess.Result ns = client("n1", "nslookup " + name);
      assertThat(ns.out()).as(name + ": " + ns.err()).contains("Address: " + WEB_IP);
    }
    assertThat(get("web2").out()).endsWith("hello by name\n");
    SilodProcess.Result unknown = client("n1", "nslookup nobody");
    assertThat(unknown.out() + unknown.err()).contains("NXDOMAIN").doesNotContain(WEB_IP);
  }

  @Test
  @Order(35)
  void aConnectAndADisconnectChangeTheAnswersAtOnce() throws IOException {
    d.ok("network", "create", "-d", "nat", "--subnet", "10.97.2.0/24", "n2");
    try {
      d.ok("run", "-d", "--name", "db", "--network", "n2", IMAGE, "sleep", "3600");
      assertThat(client("n1", "nslookup db").out()).doesNotContain("Address: 10.97.");
      d.ok("network", "connect", "--alias", "store", "n1", "db");
      String dbOnN1 =
          inspect("db")
              .path("NetworkSettings")
              .path("Networks")
              .path("n1")
              .path("IPAddress")
              .asText();
      assertThat(dbOnN1).startsWith("10.97.1.");
      for (String name : List.of("db", "store")) {
        SilodProcess.Result ns = client("n1", "nslookup " + name);
        assertThat(ns.out()).as(name + ": " + ns.err()).contains("Address: " + dbOnN1);
      }
      d.ok("network", "disconnect", "n1", "db");
      SilodProcess.Result gone = client("n1", "nslookup db");
      assertThat(gone.out() + gone.err()).contains("NXDOMAIN").doesNotContain(dbOnN1);
    } finally {
      d.docker("rm", "-f", "db");
      d.docker("network", "rm", "n2");
    }
  }

  @Test
  @Order(40)
  void theDefaultNatNetworkHasNoNameResolution() throws IOException {
    d.ok("run", "-d", "--name", "natweb", IMAGE, "sleep", "3600");
    SilodProcess.Result conf = d.docker("run", "--rm", IMAGE, "cat", "/etc/resolv.conf");
    assertThat(conf.out()).doesNotContain("nameserver 10.97.1.1");
    String gw =
        SilodProcess.JSON
            .readTree(d.ok("network", "inspect", "nat").out())
            .get(0)
            .path("IPAM")
            .path("Config")
            .get(0)
            .path("Gateway")
            .asText();
    assertThat(gw).isNotEmpty();
    SilodProcess.Result ns = d.docker("run", "--rm", IMAGE, "sh", "-c", "nslookup natweb " + gw);
    assertThat(ns.exit()).isNotZero();
    assertThat(ns.out()).doesNotContain("Address: 1");
    d.ok("rm", "-f", "natweb");
  }

  @Test
  @Order(45)
  void aBadIpOrAnAliasOnTheDefaultNetworkIsRefusedAsConnectRefusesIt() throws IOException {
    List<String> before = d.endpoints();
    SilodProcess.Result outside =
        d.docker(
            "run", "-d", "--name", "bad", "--network", "n1", "--ip", "10.5.0.9", IMAGE, "true");
    assertThat(outside.exit()).isNotZero();
    assertThat(outside.err())
        .contains("invalid endpoint settings:")
        .contains("no configured subnet or ip-range contain the IP address 10.5.0.9");
    SilodProcess.Result alias =
        d.docker("run", "-d", "--name", "bad", "--network-alias", "x", IMAGE, "true");
    assertThat(alias.exit()).isNotZero();
    assertThat(alias.err()) // the CLI checks this one itself; the API checks it too
        .contains("network-scoped aliases are only supported for user-defined networks");
    SilodProcess.Http api =
        d.curl(
            "POST",
            "/v1.47/containers/create?name=bad",
            "{\"Image\":\""
                + IMAGE
                + "\",\"Cmd\":[\"true\"],\"HostConfig\":{\"NetworkMode\":\"nat\"},"
                + "\"NetworkingConfig\":{\"EndpointsConfig\":{\"nat\":{\"Aliases\":[\"x\"]}}}}");
    assertThat(api.status()).isEqualTo(400);
    assertThat(api.json().path("message").asText())
        .isEqualTo(
            "invalid endpoint settings:\n"
                + "network-scoped alias is supported only for containers in user defined networks");
    assertThat(d.docker("inspect", "bad").exit()).isNotZero();
    assertThat(d.endpoints()).isEqualTo(before);
  }

  @Test
  @Order(48)
  void aRestartedDaemonServesTheNetworkAgain() throws Exception {
    assertThat(d.terminate()).isZero();
    assertThat(listeners()).doesNotContain("10.97.1.1:53");
    d.restart();
    assertThat(listeners()).contains("10.97.1.1:53");
    SilodProcess.Result ns = client("n1", "nslookup web");
    assertThat(ns.out()).as(ns.err()).contains("Address: " + WEB_IP);
  }

  @Test
  @Order(50)
  void aRemovedContainersNameNoLongerResolves() {
    d.ok("rm", "-f", "web");
    SilodProcess.Result ns = client("n1", "nslookup web");
    assertThat(ns.out() + ns.err()).contains("NXDOMAIN").doesNotContain(WEB_IP);
  }

  @Test
  @Order(60)
  void aRemovedNetworkLeavesNoListener() {
    assertThat(listeners()).contains("10.97.1.1:53");
    d.ok("network", "rm", "n1");
    assertThat(listeners()).doesNotContain("10.97.1.1:53");
  }

  /** The UDP sockets listening in the daemon's netns. */
  private static String listeners() {
    SilodProcess.Result r =
        SilodProcess.run(List.of("ip", "netns", "exec", d.netns, "ss", "-Hlun"), Map.of());
    assertThat(r.exit()).as(r.err()).isZero();
    return r.out();
  }
}
