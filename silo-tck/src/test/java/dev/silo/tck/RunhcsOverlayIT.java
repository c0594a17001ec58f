package dev.silo.tck;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A busybox container run by dist/bin/runhcs on an overlay endpoint of one HNS host reaches the
 * endpoint of a second HNS host (its own store and host netns) across VXLAN, through the remote
 * endpoint HNS holds for it; without that remote endpoint it does not.
 */
class RunhcsOverlayIT extends ContainerTestSupport {
  static final String PA_A = "10.252.0.1";
  static final String PA_B = "10.252.0.2";

  @SuppressWarnings("NullAway.Init") // set before each test
  private HnsFixture hostA;

  @SuppressWarnings("NullAway.Init") // set before each test
  private HnsFixture hostB;

  @BeforeEach
  void openStores() throws Exception {
    hostA = new HnsFixture(cli, Files.createTempDirectory(temp, "hns-a"));
    hostB = new HnsFixture(cli, Files.createTempDirectory(temp, "hns-b"));
    ip(
        "link",
        "add",
        "under0",
        "netns",
        hostA.hostNetns(),
        "type",
        "veth",
        "peer",
        "name",
        "under0",
        "netns",
        hostB.hostNetns());
    ip("-n", hostA.hostNetns(), "addr", "add", PA_A + "/24", "dev", "under0");
    ip("-n", hostB.hostNetns(), "addr", "add", PA_B + "/24", "dev", "under0");
    ip("-n", hostA.hostNetns(), "link", "set", "under0", "up");
    ip("-n", hostB.hostNetns(), "link", "set", "under0", "up");
    cli = hostA.cli(); // runhcs programs host A
  }

  @AfterEach
  void clearStores() {
    deleteContainers();
    hostA.clear();
    hostB.clear();
    hostA.close(); // the underlay veth goes with the host netns
    hostB.close();
  }

  static String overlay(String pa) {
    return """
        {"Name": "ov", "Type": "Overlay", "SchemaVersion": {"Major": 2, "Minor": 0},
         "Policies": [{"Type": "ProviderAddress", "Settings": {"ProviderAddress": "%s"}}],
         "Ipams": [{"Type": "Static", "Subnets": [{"IpAddressPrefix": "10.96.0.0/24",
           "Policies": [{"Type": "VSID", "Settings": {"IsolationId": 4200}}],
           "Routes": [{"NextHop": "10.96.0.1", "DestinationPrefix": "0.0.0.0/0"}]}]}]}
        """
        .formatted(pa);
  }

  static String endpoint(String name, String net, String ip) {
    return """
        {"Name": "%s", "HostComputeNetwork": "%s", "SchemaVersion": {"Major": 2, "Minor": 0},
         "IpConfigurations": [{"IpAddress": "%s"}]}
        """
        .formatted(name, net, ip);
  }

  /** The other host's endpoint as a remote endpoint: Flags 1, its IP, MAC and VTEP. */
  static String remote(String name, String net, JsonNode there, String pa) {
    return """
        {"Name": "%s", "HostComputeNetwork": "%s", "SchemaVersion": {"Major": 2, "Minor": 0},
         "Flags": 1, "MacAddress": "%s",
         "IpConfigurations": [{"IpAddress": "%s"}],
         "Policies": [{"Type": "ProviderAddress", "Settings": {"ProviderAddress": "%s"}}]}
        """
        .formatted(
            name,
            net,
            there.get("MacAddress").asText(),
            there.at("/IpConfigurations/0/IpAddress").asText(),
            pa);
  }

  private Path pingBundle(String id, String endpoint) {
    return bundles.bundle(
        id,
        c -> {
          ObjectNode a =
              c.get("annotations") instanceof ObjectNode o ? o : c.putObject("annotations");
          a.put("dev.silo.endpoint", endpoint);
          ObjectNode caps = ((ObjectNode) c.get("process")).putObject("capabilities");
          for (String set : List.of("bounding", "effective", "permitted")) {
            caps.putArray(set).add("CAP_NET_RAW");
          }
        },
        "ping",
        "-c",
        "2",
        "-W",
        "3",
        "10.96.0.20");
  }

  @Test
  void containerOnAnOverlayEndpointReachesTheOtherHostsEndpoint() {
    String netA = hostA.create("network", overlay(PA_A)).get("ID").asText();
    String netB = hostB.create("network", overlay(PA_B)).get("ID").asText();
    JsonNode epA = hostA.create("endpoint", endpoint("ov-a", netA, "10.96.0.10"));
    JsonNode epB = hostB.create("endpoint", endpoint("ov-b", netB, "10.96.0.20"));
    String nsB = hostB.create("namespace", "{}").get("ID").asText();
    hostB.run("attach", epB.get("ID").asText(), nsB).ok();
    String remoteB =
        hostA.create("endpoint", remote("ov-b-remote", netA, epB, PA_B)).get("ID").asText();
    hostB.create("endpoint", remote("ov-a-remote", netB, epA, PA_A));

    String id = newId();
    Cli.Result r = cli.runhcs("run", "--bundle", pingBundle(id, "ov-a").toString(), id).ok();
    assertThat(r.out()).contains("2 packets received", "0% packet loss");

    hostA.run("delete", "endpoint", remoteB).ok();
    String id2 = newId();
    Cli.Result gone = cli.runhcs("run", "--bundle", pingBundle(id2, "ov-a").toString(), id2);
    assertThat(gone.code()).isNotZero();
    assertThat(gone.out()).contains("0 packets received");
  }

  private static void ip(String... args) {
    List<String> cmd = new java.util.ArrayList<>(List.of("ip"));
    cmd.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
