package dev.silo.tck;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A real busybox container run by dist/bin/runhcs on an l2bridge, transparent or l2tunnel endpoint:
 * the HNS host netns gets an uplink veth to an "external" netns (the router), and the container
 * reaches that router from its own address and MAC, with no NAT in between.
 */
class RunhcsL2DriversIT extends ContainerTestSupport {
  private static final String HOST_IP = "10.252.0.1";
  private static final String ROUTER_IP = "10.252.0.2";
  private static final String EP_IP = "10.252.0.11";

  @SuppressWarnings("NullAway.Init") // set before each test
  private HnsFixture hns;

  @SuppressWarnings("NullAway.Init") // set before each test
  private String ext;

  @BeforeEach
  void openStore() throws Exception {
    Path dir = Files.createTempDirectory(temp, "hns");
    hns = new HnsFixture(cli, dir);
    cli = hns.cli();
    String host = hns.hostNetns();
    ext = host + "-x";
    ip("netns", "add", ext);
    ip("-n", host, "link", "add", "uplink0", "type", "veth", "peer", "name", "ext0", "netns", ext);
    ip("-n", host, "addr", "add", HOST_IP + "/24", "dev", "uplink0");
    ip("-n", host, "link", "set", "uplink0", "up");
    ip("-n", ext, "addr", "add", ROUTER_IP + "/24", "dev", "ext0");
    ip("-n", ext, "link", "set", "ext0", "up");
    ip("-n", ext, "link", "set", "lo", "up");
  }

  @AfterEach
  void clearStore() {
    deleteContainers();
    hns.clear();
    ip("netns", "delete", ext);
    hns.close();
    assertThat(ip("netns", "list")).doesNotContain(ext).doesNotContain(hns.hostNetns() + " ");
  }

  @ParameterizedTest
  @ValueSource(strings = {"L2Bridge", "Transparent", "L2Tunnel"})
  void containerOnAnUplinkEndpointReachesTheExternalRouter(String type) throws Exception {
    String net =
        hns.create(
                "network",
                """
                {"Name": "it-l2", "Type": "%s", "SchemaVersion": {"Major": 2, "Minor": 0},
                 "Policies": [{"Type": "NetAdapterName",
                               "Settings": {"NetworkAdapterName": "uplink0"}}],
                 "Ipams": [{"Type": "Static", "Subnets": [{"IpAddressPrefix": "10.252.0.0/24",
                   "Routes": [{"NextHop": "%s", "DestinationPrefix": "0.0.0.0/0"}]}]}]}
                """
                    .formatted(type, ROUTER_IP))
            .get("ID")
            .asText();
    JsonNode ep =
        hns.create(
            "endpoint",
            """
            {"Name": "it-l2-ep", "HostComputeNetwork": "%s",
             "IpConfigurations": [{"IpAddress": "%s", "PrefixLength": 24}],
             "SchemaVersion": {"Major": 2, "Minor": 0}}
            """
                .formatted(net, EP_IP));
    String id = newId();
    Path bundle =
        bundles.bundle(
            id,
            c -> {
              ObjectNode a =
                  c.get("annotations") instanceof ObjectNode o ? o : c.putObject("annotations");
              a.put("dev.silo.endpoint", "it-l2-ep");
            },
            "sleep",
            "1000");
    runDetached(id, bundle);

    Cli.Result addr = cli.runhcs("exec", id, "ip", "-4", "addr", "show", "eth0").ok();
    assertThat(addr.out()).contains(EP_IP + "/24");
    assertThat(cli.runhcs("exec", id, "ip", "route").ok().out())
        .contains("default via " + ROUTER_IP);
    String got = sendFromContainer(id, "hello-from-" + id);
    assertThat(got).contains("hello-from-" + id);
    // the router learnt the container's own address with the endpoint's MAC: no NAT, L2 on the wire
    String mac = ep.get("MacAddress").asText().replace('-', ':');
    assertThat(ip("-n", ext, "neigh", "show", EP_IP)).containsIgnoringCase(mac);

    cli.runhcs("delete", "--force", id).ok();
    assertThat(ip("-n", hns.hostNetns(), "-o", "-4", "addr", "show", "uplink0"))
        .contains(HOST_IP + "/24");
  }

  /**
   * Starts a one-shot busybox nc listener in the router netns and sends {@code text} to it from the
   * container, retrying (bounded) until the listener is up; returns what the listener received.
   */
  private String sendFromContainer(String id, String text) throws Exception {
    Process listener =
        new ProcessBuilder("ip", "netns", "exec", ext, "busybox", "nc", "-l", "-p", "9600")
            .redirectErrorStream(true)
            .start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
      Cli.Result r;
      do {
        r =
            cli.runhcs(
                "exec", id, "sh", "-c", "echo " + text + " | nc -w 2 " + ROUTER_IP + " 9600");
      } while (r.code() != 0 && System.nanoTime() < deadline);
      assertThat(r.code()).as(r.toString()).isZero();
      assertThat(listener.waitFor(10, TimeUnit.SECONDS)).isTrue();
      return new String(listener.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    } finally {
      listener.destroyForcibly();
      listener.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static String ip(String... args) {
    List<String> cmd = new ArrayList<>(List.of("ip"));
    cmd.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as("%s: %s", cmd, out).isZero();
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
