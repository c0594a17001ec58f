package dev.silo.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * silod driven by the stock docker CLI (28.x) and curl: version negotiation, info, networks over
 * HNS in the daemon's own netns, volumes, events, dockerd's errors for bad input with nothing left
 * behind, a refused second daemon, and SIGTERM.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SilodIT {
  private static SilodProcess d;

  @BeforeAll
  static void start() throws Exception {
    d = SilodProcess.start(true, "--host-os-version", "10.0.17763");
  }

  @AfterAll
  static void stop() throws Exception {
    if (d != null) {
      d.close();
    }
  }

  @Test
  @Order(0)
  void aStaleSocketFileWasReplaced() {
    assertThat(d.logText()).contains("removing stale socket " + d.socket);
  }

  @Test
  @Order(10)
  void versionNegotiatesTheServersApiVersion() {
    SilodProcess.Result r =
        d.docker(
            "version",
            "--format",
            "{{.Server.APIVersion}} {{.Server.MinAPIVersion}} {{.Client.APIVersion}}");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out().trim()).isEqualTo("1.47 1.41 1.47");
  }

  @Test
  @Order(20)
  void infoReportsTheHost() throws Exception {
    SilodProcess.Result r = d.docker("info", "--format", "{{json .}}");
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode info = SilodProcess.JSON.readTree(r.out());
    assertThat(info.path("OSType").asText()).isEqualTo("linux");
    assertThat(info.path("OperatingSystem").asText()).isEqualTo("Silo");
    assertThat(info.path("Driver").asText()).isEqualTo("overlay2");
    assertThat(info.path("OSVersion").asText()).isEqualTo("10.0.17763");
    assertThat(info.path("KernelVersion").asText())
        .isEqualTo(Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim());
    assertThat(info.path("NCPU").asInt()).isEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(info.path("MemTotal").asLong()).isPositive();
    assertThat(info.path("Containers").asInt()).isZero();
    assertThat(info.path("DockerRootDir").asText()).isEqualTo(d.dataRoot.toString());
  }

  @Test
  @Order(30)
  void pingAnswersWithDockerdsHeaders() {
    SilodProcess.Result r =
        SilodProcess.run(
            List.of(
                "curl",
                "-sS",
                "-I",
                "--unix-socket",
                d.socket.toString(),
                "http://localhost/_ping"),
            Map.of());
    assertThat(r.out())
        .startsWith("HTTP/1.1 200")
        .containsIgnoringCase("API-Version: 1.47")
        .containsIgnoringCase("OSType: linux")
        .containsIgnoringCase("Docker-Experimental: false")
        .containsIgnoringCase("Builder-Version: ");
    assertThat(d.curl("GET", "/v1.41/_ping", null)).isEqualTo(new SilodProcess.Http(200, "OK"));
  }

  @Test
  @Order(40)
  void theDefaultNatNetworkExistsAndBridgeIsItsAlias() throws Exception {
    SilodProcess.Result ls = d.docker("network", "ls", "--format", "{{.Name}} {{.Driver}}");
    assertThat(ls.out().lines()).contains("nat nat");
    JsonNode nat = SilodProcess.JSON.readTree(d.docker("network", "inspect", "nat").out()).get(0);
    JsonNode bridge =
        SilodProcess.JSON.readTree(d.docker("network", "inspect", "bridge").out()).get(0);
    assertThat(bridge.path("Id").asText()).isEqualTo(nat.path("Id").asText());
    SilodProcess.Result rm = d.docker("network", "rm", "nat");
    assertThat(rm.exit()).isEqualTo(1);
    assertThat(rm.err()).contains("nat is a pre-defined network and cannot be removed");
  }

  @Test
  @Order(50)
  void aNatNetworkIsCreatedListedInspectedAndRemovedWithItsEvents() throws Exception {
    String before = d.kernelAndStore();
    ProcessBuilder eventsCmd =
        new ProcessBuilder(
            "/usr/local/bin/docker",
            "system",
            "events",
            "--filter",
            "type=network",
            "--format",
            "{{json .}}");
    eventsCmd.environment().put("DOCKER_HOST", "unix://" + d.socket);
    eventsCmd.environment().put("DOCKER_CONFIG", d.base.resolve("docker-config").toString());
    Process events = eventsCmd.redirectErrorStream(true).start();
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread reader = pump(events, lines);
    try {
      // wait until the events stream is subscribed (info counts listeners)
      SilodProcess.until(
          "the events stream is subscribed",
          () -> d.docker("info", "--format", "{{.NEventsListener}}").out().trim().equals("1"));
      SilodProcess.Result c =
          d.docker(
              "network",
              "create",
              "-d",
              "nat",
              "--subnet",
              "10.77.0.0/24",
              "--label",
              "team=silo",
              "n1");
      assertThat(c.exit()).as(c.err()).isZero();
      String id = c.out().trim();
      assertThat(id).matches("[0-9a-f]{64}");

      String ev = lines.poll(SilodProcess.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      assertThat(ev).as("event of the create").isNotNull();
      JsonNode e = SilodProcess.JSON.readTree(ev);
      assertThat(e.path("Type").asText()).isEqualTo("network");
      assertThat(e.path("Action").asText()).isEqualTo("create");
      assertThat(e.path("Actor").path("ID").asText()).isEqualTo(id);
      assertThat(e.path("Actor").path("Attributes").path("name").asText()).isEqualTo("n1");

      assertThat(
              d.docker("network", "ls", "--filter", "name=n1", "--format", "{{.Name}}")
                  .out()
                  .trim())
          .isEqualTo("n1");
      assertThat(d.docker("network", "ls", "--filter", "label=team=silo", "-q").out().trim())
          .isEqualTo(id.substring(0, 12));
      assertThat(d.docker("network", "ls", "--filter", "driver=overlay", "-q").out()).isBlank();

      JsonNode n = SilodProcess.JSON.readTree(d.docker("network", "inspect", "n1").out()).get(0);
      assertThat(n.path("Driver").asText()).isEqualTo("nat");
      assertThat(n.path("IPAM").path("Config").get(0).path("Subnet").asText())
          .isEqualTo("10.77.0.0/24");
      assertThat(n.path("IPAM").path("Config").get(0).path("Gateway").asText())
          .isEqualTo("10.77.0.1");
      assertThat(n.path("Labels").path("team").asText()).isEqualTo("silo");
      String hnsId = n.path("Options").path("com.docker.network.windowsshim.hnsid").asText();

      // the HNS network behind it, and its bridge with the gateway in the daemon's netns
      JsonNode hns = d.curl("GET", "/hns/v2/networks/" + hnsId, null).json();
      assertThat(hns.path("Name").asText()).isEqualTo("n1");
      assertThat(hns.path("Type").asText()).isEqualTo("NAT");
      String addrs = SilodProcess.run(List.of("ip", "-n", d.netns, "-o", "addr"), Map.of()).out();
      assertThat(addrs).contains("10.77.0.1/24");

      SilodProcess.Result rm = d.docker("network", "rm", "n1");
      assertThat(rm.exit()).as(rm.err()).isZero();
      String destroyed = lines.poll(SilodProcess.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      assertThat(destroyed).contains("\"Action\":\"destroy\"");
      assertThat(d.curl("GET", "/hns/v2/networks/" + hnsId, null).status()).isEqualTo(404);
      assertThat(d.kernelAndStore()).isEqualTo(before);
    } finally {
      events.destroy();
      events.waitFor(SilodProcess.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      reader.join(SilodProcess.TIMEOUT.toMillis());
    }
  }

  @Test
  @Order(60)
  void eventsSinceReplaysPastEventsUntilTheDeadline() throws Exception {
    long t0 = System.currentTimeMillis() / 1000 - 1;
    SilodProcess.Result c = d.docker("network", "create", "--subnet", "10.78.0.0/24", "n-replay");
    assertThat(c.exit()).as(c.err()).isZero();
    assertThat(d.docker("network", "rm", "n-replay").exit()).isZero();
    long t1 = System.currentTimeMillis() / 1000 + 1;
    SilodProcess.Result r =
        d.docker(
            "system",
            "events",
            "--since",
            String.valueOf(t0),
            "--until",
            String.valueOf(t1),
            "--filter",
            "network=n-replay",
            "--format",
            "{{.Action}} {{.Actor.Attributes.name}}");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out().lines()).containsExactly("create n-replay", "destroy n-replay");
    SilodProcess.Http backwards = d.curl("GET", "/events?since=200&until=100", null);
    assertThat(backwards.status()).isEqualTo(400);
    assertThat(backwards.json().path("message").asText())
        .isEqualTo("`since` time (200) cannot be after `until` time (100)");
  }

  @Test
  @Order(70)
  void badNetworkInputGetsDockerdsStatusAndMessageAndLeavesNothing() throws Exception {
    String before = d.kernelAndStore();

    SilodProcess.Result subnet = d.docker("network", "create", "--subnet", "10.1.2.3/24", "bad1");
    assertThat(subnet.exit()).isEqualTo(1);
    assertThat(subnet.err()).contains("invalid subnet 10.1.2.3/24: it should be 10.1.2.0/24");

    SilodProcess.Http badCidr =
        d.curl(
            "POST",
            "/v1.47/networks/create",
            "{\"Name\":\"bad2\",\"IPAM\":{\"Config\":[{\"Subnet\":\"10.0.0.0/33\"}]}}");
    assertThat(badCidr.status()).isEqualTo(400);
    assertThat(badCidr.json().path("message").asText())
        .isEqualTo(
            "invalid network config:\ninvalid subnet 10.0.0.0/33: invalid CIDR block notation");

    SilodProcess.Http malformed = d.curl("POST", "/v1.47/networks/create", "{\"Name\": ");
    assertThat(malformed.status()).isEqualTo(400);
    assertThat(malformed.json().path("message").asText()).startsWith("invalid JSON: ");

    SilodProcess.Http empty = d.curl("POST", "/v1.47/networks/create", "");
    assertThat(empty.status()).isEqualTo(400);

    SilodProcess.Http textPlain =
        d.curl("POST", "/v1.47/networks/create", "{\"Name\":\"x1\"}", "text/plain");
    assertThat(textPlain.status()).isEqualTo(400);
    assertThat(textPlain.json().path("message").asText())
        .isEqualTo("unsupported Content-Type header (text/plain): must be 'application/json'");

    SilodProcess.Result driver = d.docker("network", "create", "-d", "macvlan", "bad3");
    assertThat(driver.exit()).isEqualTo(1);
    assertThat(driver.err()).contains("could not find plugin macvlan in v1 plugin registry");

    // a subnet the default nat network already uses: HNS refuses, nothing is kept
    String natSubnet =
        SilodProcess.JSON
            .readTree(d.docker("network", "inspect", "nat").out())
            .get(0)
            .path("IPAM")
            .path("Config")
            .get(0)
            .path("Subnet")
            .asText();
    SilodProcess.Result overlap = d.docker("network", "create", "--subnet", natSubnet, "bad4");
    assertThat(overlap.exit()).isEqualTo(1);
    assertThat(overlap.err()).contains("HNS failed with error : subnet " + natSubnet + " overlaps");

    SilodProcess.Result unknown = d.docker("network", "inspect", "nope");
    assertThat(unknown.exit()).isEqualTo(1);
    assertThat(unknown.err()).contains("network nope not found");
    assertThat(d.curl("GET", "/networks/nope", null))
        .isEqualTo(new SilodProcess.Http(404, "{\"message\":\"network nope not found\"}"));
    assertThat(d.docker("network", "rm", "nope").err()).contains("network nope not found");

    SilodProcess.Result old = d.docker(Map.of("DOCKER_API_VERSION", "1.12"), "version");
    assertThat(old.exit()).isEqualTo(1);
    assertThat(old.err())
        .contains(
            "client version 1.12 is too old. Minimum supported API version is 1.41, please upgrade"
                + " your client to a newer version");
    assertThat(d.curl("GET", "/v1.12/version", null).status()).isEqualTo(400);

    assertThat(d.kernelAndStore()).isEqualTo(before);

    // a duplicate name: 409, and only the first network exists
    assertThat(d.docker("network", "create", "--subnet", "10.79.0.0/24", "dup").exit()).isZero();
    String withDup = d.kernelAndStore();
    SilodProcess.Result dup = d.docker("network", "create", "--subnet", "10.80.0.0/24", "dup");
    assertThat(dup.exit()).isEqualTo(1);
    assertThat(dup.err()).contains("network with name dup already exists");
    assertThat(d.curl("POST", "/networks/create", "{\"Name\":\"dup\"}").status()).isEqualTo(409);
    assertThat(d.kernelAndStore()).isEqualTo(withDup);
    assertThat(d.docker("network", "rm", "dup").exit()).isZero();
    assertThat(d.kernelAndStore()).isEqualTo(before);
  }

  @Test
  @Order(75)
  void theWindowsDriversMapTheirShimOptionsToHnsPolicies() throws Exception {
    // an uplink in the daemon's netns for the uplink drivers (a veth: this kernel has no dummy)
    SilodProcess.Result link =
        SilodProcess.run(
            List.of(
                "ip", "-n", d.netns, "link", "add", "up0", "type", "veth", "peer", "name", "up0p"),
            Map.of());
    assertThat(link.exit()).as(link.err()).isZero();
    String before = d.kernelAndStore();
    String opt = "com.docker.network.windowsshim.";
    for (String driver : List.of("transparent", "l2bridge", "l2tunnel")) {
      SilodProcess.Result c =
          d.docker(
              "network",
              "create",
              "-d",
              driver,
              "-o",
              opt + "interface=up0",
              "--subnet",
              "192.0.2.0/24",
              "--gateway",
              "192.0.2.1",
              "u-" + driver);
      assertThat(c.exit()).as(driver + ": " + c.err()).isZero();
    }
    SilodProcess.Result o =
        d.docker(
            "network",
            "create",
            "-d",
            "overlay",
            "-o",
            opt + "vsid=4096",
            "--subnet",
            "10.61.0.0/24",
            "ov");
    assertThat(o.exit()).as(o.err()).isZero();
    assertThat(d.docker("network", "ls", "--format", "{{.Name}} {{.Driver}}").out().lines())
        .contains(
            "u-transparent transparent",
            "u-l2bridge l2bridge",
            "u-l2tunnel l2tunnel",
            "ov overlay");

    JsonNode hns = d.curl("GET", "/hns/v2/networks", null).json();
    Map<String, JsonNode> byName = new java.util.HashMap<>();
    hns.forEach(n -> byName.put(n.path("Name").asText(), n));
    assertThat(
            byName
                .getOrDefault("u-l2tunnel", SilodProcess.JSON.missingNode())
                .path("Type")
                .asText())
        .isEqualTo("L2Tunnel");
    assertThat(
            byName
                .getOrDefault("u-transparent", SilodProcess.JSON.missingNode())
                .path("Policies")
                .path(0)
                .path("Settings")
                .path("NetworkAdapterName")
                .asText())
        .isEqualTo("up0");
    JsonNode ovSubnet =
        byName
            .getOrDefault("ov", SilodProcess.JSON.missingNode())
            .path("Ipams")
            .get(0)
            .path("Subnets")
            .get(0);
    assertThat(ovSubnet.path("Policies").get(0).path("Type").asText()).isEqualTo("VSID");
    assertThat(ovSubnet.path("Policies").get(0).path("Settings").path("IsolationId").asInt())
        .isEqualTo(4096);

    // an overlay without its VSID, and an uplink that is not there: HNS refuses, nothing is kept
    String withAll = d.kernelAndStore();
    SilodProcess.Result noVsid =
        d.docker("network", "create", "-d", "overlay", "--subnet", "10.62.0.0/24", "ov2");
    assertThat(noVsid.exit()).isEqualTo(1);
    assertThat(noVsid.err())
        .contains("HNS failed with error : Overlay subnet 10.62.0.0/24 has no VSID policy");
    SilodProcess.Result noUplink =
        d.docker(
            "network",
            "create",
            "-d",
            "transparent",
            "-o",
            opt + "interface=nope0",
            "--subnet",
            "198.51.100.0/24",
            "t2");
    assertThat(noUplink.exit()).isEqualTo(1);
    assertThat(noUplink.err()).contains("uplink adapter nope0");
    assertThat(d.kernelAndStore()).isEqualTo(withAll);

    for (String n : List.of("u-transparent", "u-l2bridge", "u-l2tunnel", "ov")) {
      SilodProcess.Result rm = d.docker("network", "rm", n);
      assertThat(rm.exit()).as(n + ": " + rm.err()).isZero();
    }
    assertThat(d.kernelAndStore()).isEqualTo(before);
  }

  @Test
  @Order(80)
  void pruneRemovesUnusedNetworksButNotTheDefault() throws Exception {
    assertThat(d.docker("network", "create", "--subnet", "10.81.0.0/24", "p1").exit()).isZero();
    SilodProcess.Result r = d.docker("network", "prune", "-f");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("p1");
    assertThat(d.docker("network", "ls", "--format", "{{.Name}}").out().lines())
        .containsExactly("nat");
  }

  @Test
  @Order(90)
  void volumesAreCreatedListedInspectedAndRemoved() throws Exception {
    SilodProcess.Result c = d.docker("volume", "create", "--label", "k=v", "v1");
    assertThat(c.exit()).as(c.err()).isZero();
    assertThat(c.out().trim()).isEqualTo("v1");
    assertThat(d.docker("volume", "ls", "--format", "{{.Name}} {{.Driver}}").out().lines())
        .containsExactly("v1 local");
    JsonNode v = SilodProcess.JSON.readTree(d.docker("volume", "inspect", "v1").out()).get(0);
    Path data = d.dataRoot.resolve("volumes/v1/_data");
    assertThat(v.path("Mountpoint").asText()).isEqualTo(data.toString());
    assertThat(v.path("Labels").path("k").asText()).isEqualTo("v");
    assertThat(data).isDirectory();
    // a second create of the same name is the same volume
    assertThat(d.docker("volume", "create", "v1").exit()).isZero();

    SilodProcess.Result bad = d.docker("volume", "create", "a:b");
    assertThat(bad.exit()).isEqualTo(1);
    assertThat(bad.err()).contains("\"a:b\" includes invalid characters for a local volume name");
    assertThat(d.dataRoot.resolve("volumes"))
        .isDirectoryNotContaining(p -> !p.getFileName().toString().equals("v1"));

    assertThat(d.docker("volume", "rm", "v1").exit()).isZero();
    assertThat(d.dataRoot.resolve("volumes/v1")).doesNotExist();
    SilodProcess.Result again = d.docker("volume", "rm", "v1");
    assertThat(again.exit()).isEqualTo(1);
    assertThat(again.err()).contains("get v1: no such volume");
    assertThat(d.curl("GET", "/volumes/v1", null).status()).isEqualTo(404);
  }

  @Test
  @Order(100)
  void aSecondDaemonOnTheSameSocketIsRefused() throws Exception {
    Path other = Files.createTempDirectory("silod-second");
    try {
      Path log = other.resolve("log");
      Process p = SilodProcess.launch(other, d.socket, d.netns, log);
      assertThat(p.waitFor(SilodProcess.TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).isEqualTo(1);
      assertThat(Files.readString(log).trim())
          .isEqualTo("silod: another silod is already serving unix://" + d.socket);
      assertThat(d.curl("GET", "/_ping", null).status())
          .as("the first daemon still serves")
          .isEqualTo(200);
    } finally {
      try (var s = Files.walk(other)) {
        for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  @Test
  @Order(110)
  void sigtermClosesTheListenerAndExitsZero() throws Exception {
    assertThat(d.terminate()).as(d.logText()).isZero();
    assertThat(d.socket).doesNotExist();
    assertThat(d.logText()).contains("Daemon shutdown complete");
  }

  private static Thread pump(Process p, BlockingQueue<String> lines) {
    Thread t =
        Thread.ofVirtual()
            .start(
                () -> {
                  try (BufferedReader r =
                      new BufferedReader(
                          new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line = r.readLine(); line != null; line = r.readLine()) {
                      lines.add(line);
                    }
                  } catch (java.io.IOException e) {
                    // the process was stopped
                  }
                });
    return t;
  }
}
