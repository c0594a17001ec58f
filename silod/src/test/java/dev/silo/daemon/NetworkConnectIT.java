package dev.silo.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code docker network connect} and {@code disconnect} through the stock docker CLI against a real
 * silod: a running container gets a second interface on a second user NAT network live and reaches
 * a server there by its address, then loses it again; a stopped one gets its endpoint at its next
 * start; the networks survive a SIGKILLed daemon; dockerd's errors leave no endpoint, link, nft
 * element or record change behind.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NetworkConnectIT {
  private static final String IMAGE = "busybox:latest";

  private static SilodProcess d;
  private static List<String> endpointsAtStart = List.of();
  private static String aIp = "";

  @BeforeAll
  static void start() throws Exception {
    d = SilodProcess.startShort("snc");
    d.loadBusybox(IMAGE);
    Path www = Files.createDirectories(d.base.resolve("www"));
    Files.writeString(www.resolve("index.html"), "hello over n1\n");
    endpointsAtStart = d.endpoints();
    d.ok("network", "create", "-d", "nat", "--subnet", "10.96.1.0/24", "n1");
    d.ok("network", "create", "-d", "nat", "--subnet", "10.96.2.0/24", "n2");
    d.ok(
        "run",
        "-d",
        "--name",
        "srv",
        "--network",
        "n1",
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
    d.ok("run", "-d", "--name", "cli", "--network", "n2", IMAGE, "sleep", "3600");
    aIp =
        inspect("srv")
            .path("NetworkSettings")
            .path("Networks")
            .path("n1")
            .path("IPAddress")
            .asText();
    assertThat(aIp).startsWith("10.96.1.");
  }

  @AfterAll
  static void stop() throws Exception {
    if (d != null) {
      d.docker("rm", "-f", "srv", "cli", "late", "quiet");
      d.docker("network", "rm", "n1", "n2");
      d.close();
    }
  }

  private static JsonNode inspect(String what) throws IOException {
    return SilodProcess.JSON.readTree(d.ok("inspect", what).out()).get(0);
  }

  private static JsonNode networks(String container) throws IOException {
    return inspect(container).path("NetworkSettings").path("Networks");
  }

  /** {@code name: address/len} of every IPv4 address inside the container. */
  private static List<String> addresses(String container) {
    List<String> out = new ArrayList<>();
    for (String line :
        d.ok("exec", container, "busybox", "ip", "-o", "-4", "addr").out().lines().toList()) {
      String[] f = line.trim().split("\\s+");
      out.add(f[1] + ": " + f[3]);
    }
    return out;
  }

  private static String routeTo(String container, String ip) {
    return d.ok("exec", container, "busybox", "ip", "route", "get", ip).out();
  }

  /** An HTTP GET of A's page from inside {@code container}, retried until it answers. */
  private static void reachesA(String container) {
    SilodProcess.Result[] last = new SilodProcess.Result[1];
    SilodProcess.until(
        container + " reaches " + aIp + " on n1",
        () -> {
          // Debian's static busybox wget segfaults: nc speaks the request
          last[0] =
              d.docker(
                  "exec",
                  container,
                  "sh",
                  "-c",
                  "printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 2 " + aIp + " 80");
          return last[0].exit() == 0 && last[0].out().contains("200 OK");
        });
    assertThat(last[0].out()).endsWith("\r\n\r\nhello over n1\n");
  }

  @Test
  @Order(10)
  void aRunningContainerGetsASecondInterfaceLiveAndLosesItAgain() throws Exception {
    String bId = inspect("cli").path("Id").asText();
    List<String> before = d.endpoints();
    assertThat(before).hasSize(endpointsAtStart.size() + 2);
    assertThat(addresses("cli")).hasSize(2).anyMatch(a -> a.startsWith("eth0: 10.96.2."));
    // not on n1: A is only reached through B's n2 gateway (silo's nat networks are routed by the
    // host, not isolated from each other as Docker on Linux isolates its bridges)
    assertThat(routeTo("cli", aIp)).contains("via 10.96.2.").contains("dev eth0");

    d.ok("network", "connect", "n1", "cli");

    List<String> after = d.endpoints();
    assertThat(after).hasSize(before.size() + 1).containsAll(before);
    JsonNode nets = networks("cli");
    assertThat(nets.size()).isEqualTo(2);
    JsonNode n1 = nets.path("n1");
    String n1Id = inspect("n1").path("Id").asText();
    assertThat(n1.path("NetworkID").asText()).isEqualTo(n1Id);
    assertThat(n1.path("IPAddress").asText()).startsWith("10.96.1.");
    assertThat(n1.path("IPPrefixLen").asInt()).isEqualTo(24);
    assertThat(n1.path("Gateway").asText()).isEqualTo("10.96.1.1");
    assertThat(n1.path("MacAddress").asText()).isNotEmpty();
    String newEndpoint = n1.path("EndpointID").asText();
    assertThat(after).contains(newEndpoint);
    assertThat(before).doesNotContain(newEndpoint);
    assertThat(nets.path("n2").path("IPAddress").asText()).startsWith("10.96.2.");
    JsonNode members = inspect("n1").path("Containers");
    assertThat(members.path(bId).path("Name").asText()).isEqualTo("cli");
    assertThat(members.path(bId).path("EndpointID").asText()).isEqualTo(newEndpoint);
    assertThat(members.path(bId).path("IPv4Address").asText())
        .isEqualTo(n1.path("IPAddress").asText() + "/24");
    assertThat(members.size()).isEqualTo(2);

    assertThat(addresses("cli"))
        .hasSize(3)
        .contains("eth1: " + n1.path("IPAddress").asText() + "/24")
        .anyMatch(a -> a.startsWith("eth0: 10.96.2."));
    assertThat(routeTo("cli", aIp)).contains("dev eth1").doesNotContain("via");
    reachesA("cli");

    d.ok("network", "disconnect", "n1", "cli");

    assertThat(d.endpoints()).isEqualTo(before).doesNotContain(newEndpoint);
    assertThat(d.ok("exec", "cli", "busybox", "ip", "-o", "link").out()).doesNotContain("eth1");
    assertThat(addresses("cli")).hasSize(2);
    assertThat(routeTo("cli", aIp)).contains("dev eth0");
    assertThat(networks("cli").size()).isEqualTo(1);
    assertThat(networks("cli").has("n2")).isTrue();
    assertThat(inspect("n1").path("Containers").has(bId)).isFalse();
  }

  @Test
  @Order(20)
  void badInputIsRefusedAsDockerdDoesAndLeavesNothingBehind() throws Exception {
    d.ok("create", "--name", "quiet", "--network", "none", IMAGE, "true");
    String bId = inspect("cli").path("Id").asText();
    Path record = d.dataRoot.resolve("containers").resolve(bId).resolve("config.v2.json");
    String recordBefore = Files.readString(record);
    String stateBefore = d.kernelAndStore();

    SilodProcess.Http h = d.curl("POST", "/networks/n1/connect", "{\"Container\":\"nosuch\"}");
    assertThat(h.status()).isEqualTo(404);
    assertThat(h.json().path("message").asText()).isEqualTo("No such container: nosuch");
    assertThat(d.docker("network", "connect", "n1", "nosuch").err())
        .contains("No such container: nosuch");

    h = d.curl("POST", "/networks/nonet/connect", "{\"Container\":\"cli\"}");
    assertThat(h.status()).isEqualTo(404);
    assertThat(h.json().path("message").asText()).isEqualTo("network nonet not found");

    h = d.curl("POST", "/networks/n2/connect", "{\"Container\":\"cli\"}");
    assertThat(h.status()).isEqualTo(403);
    assertThat(h.json().path("message").asText())
        .isEqualTo("endpoint with name cli already exists in network n2");

    h = d.curl("POST", "/networks/n1/disconnect", "{\"Container\":\"cli\"}");
    assertThat(h.status()).isEqualTo(500);
    assertThat(h.json().path("message").asText())
        .isEqualTo("container " + bId + " is not connected to network n1");

    SilodProcess.Result ip = d.docker("network", "connect", "--ip", "10.99.0.5", "n1", "cli");
    assertThat(ip.exit()).isNotZero();
    assertThat(ip.err())
        .contains(
            "invalid endpoint settings:\nno configured subnet or ip-range contain the IP address"
                + " 10.99.0.5");

    h = d.curl("POST", "/networks/n1/connect", "{\"Container\":\"quiet\"}");
    assertThat(h.status()).isEqualTo(400);
    assertThat(h.json().path("message").asText())
        .isEqualTo(
            "container cannot be connected to multiple networks with one of the networks in"
                + " private (none) mode");
    h = d.curl("POST", "/networks/host/connect", "{\"Container\":\"cli\"}");
    assertThat(h.status()).isEqualTo(400);
    assertThat(h.json().path("message").asText())
        .isEqualTo(
            "cannot connect container to host network - container must be created in host"
                + " network mode");

    assertThat(d.kernelAndStore()).isEqualTo(stateBefore);
    assertThat(Files.readString(record)).isEqualTo(recordBefore);
    assertThat(addresses("cli")).hasSize(2);
    d.ok("rm", "quiet");
  }

  @Test
  @Order(30)
  void aStoppedContainerIsConnectedAtItsNextStart() throws Exception {
    d.ok("create", "--name", "late", "--network", "n2", IMAGE, "sleep", "3600");
    List<String> before = d.endpoints();
    d.ok("network", "connect", "--ip", "10.96.1.50", "n1", "late");
    assertThat(d.endpoints()).as("recorded, made at the start").isEqualTo(before);
    JsonNode n1 = networks("late").path("n1");
    assertThat(n1.path("EndpointID").asText()).isEmpty();
    assertThat(n1.path("IPAMConfig").path("IPv4Address").asText()).isEqualTo("10.96.1.50");
    // dockerd: connecting a stopped container twice changes nothing
    d.ok("network", "connect", "n1", "late");

    d.ok("start", "late");
    n1 = networks("late").path("n1");
    assertThat(n1.path("IPAddress").asText()).isEqualTo("10.96.1.50");
    assertThat(d.endpoints()).hasSize(before.size() + 1).contains(n1.path("EndpointID").asText());
    assertThat(addresses("late")).contains("eth1: 10.96.1.50/24").hasSize(3);
    reachesA("late");
  }

  @Test
  @Order(40)
  void theNetworksSurviveADaemonKillAndDisconnectStillWorks() throws Exception {
    JsonNode before = networks("late");
    d.process.destroyForcibly(); // SIGKILL: the containers keep running under their monitors
    assertThat(d.process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    d.restart();

    JsonNode after = networks("late");
    assertThat(after.size()).isEqualTo(2);
    for (String n : List.of("n1", "n2")) {
      assertThat(after.path(n).path("EndpointID").asText())
          .isEqualTo(before.path(n).path("EndpointID").asText())
          .isNotEmpty();
      assertThat(after.path(n).path("IPAddress").asText())
          .isEqualTo(before.path(n).path("IPAddress").asText());
    }
    String cId = inspect("late").path("Id").asText();
    assertThat(inspect("n1").path("Containers").has(cId)).isTrue();
    reachesA("late");

    d.ok("network", "disconnect", "n1", "late");
    assertThat(d.endpoints()).doesNotContain(before.path("n1").path("EndpointID").asText());
    assertThat(d.ok("exec", "late", "busybox", "ip", "-o", "link").out()).doesNotContain("eth1");

    d.ok("network", "connect", "n1", "late"); // and connect again, live
    reachesA("late");

    d.ok("rm", "-f", "srv", "cli", "late");
    d.ok("network", "rm", "n1", "n2");
    assertThat(d.endpoints()).isEqualTo(endpointsAtStart);
    assertThat(d.curl("GET", "/hns/v2/namespaces", null).json().size())
        .as("the containers' namespaces went with them")
        .isZero();
    assertThat(
            SilodProcess.run(List.of("ip", "-n", d.netns, "-o", "link", "show"), java.util.Map.of())
                .out())
        .as("no veth of any endpoint is left")
        .doesNotContain("silo:endpoint:");
    assertThat(d.ok("ps", "-aq").out()).isBlank();
  }
}
