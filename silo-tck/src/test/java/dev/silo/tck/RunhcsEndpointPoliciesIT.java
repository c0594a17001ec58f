package dev.silo.tck;

import static org.assertj.core.api.Assertions.assertThat;

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
 * A busybox container started by dist/bin/runhcs on an endpoint created with SDNRoute and QOS
 * policies: the container's own network namespace (seen through its pid) has the route and the
 * egress shaper, and both go with the container.
 */
class RunhcsEndpointPoliciesIT extends ContainerTestSupport {
  @SuppressWarnings("NullAway.Init") // set before each test
  private HnsFixture hns;

  @BeforeEach
  void openStore() throws Exception {
    hns = new HnsFixture(cli, Files.createTempDirectory(temp, "hns"));
    cli = hns.cli();
  }

  @AfterEach
  void clearStore() {
    deleteContainers();
    hns.clear();
    hns.close();
  }

  /** Runs a command inside the network namespace of process {@code pid}. */
  private static String inNetnsOf(long pid, String... cmd) {
    List<String> all =
        new java.util.ArrayList<>(List.of("nsenter", "-t", Long.toString(pid), "-n"));
    all.addAll(List.of(cmd));
    try {
      Process p = new ProcessBuilder(all).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as(out).isZero();
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Test
  void theContainersNamespaceCarriesTheSdnRouteAndTheQosShaper() throws Exception {
    String net = hns.natNetwork("it-pol", "10.97.4").get("ID").asText();
    hns.create(
        "endpoint",
        """
        {"Name": "it-pol-ep", "HostComputeNetwork": "%s", "SchemaVersion": {"Major": 2, "Minor": 0},
         "Policies": [
           {"Type": "SDNRoute", "Settings": {"DestinationPrefix": "10.98.0.0/16",
             "NextHop": "10.97.4.1", "NeedEncap": true}},
           {"Type": "QOS", "Settings": {"MaximumOutgoingBandwidthInBytes": 1250000}}]}
        """
            .formatted(net));
    String id = newId();
    Path bundle =
        bundles.bundle(
            id,
            c -> {
              ObjectNode a =
                  c.get("annotations") instanceof ObjectNode o ? o : c.putObject("annotations");
              a.put("dev.silo.endpoint", "it-pol-ep");
            },
            "sleep",
            "1000");
    long pid = runDetached(id, bundle);

    // /proc/PID/net/route is the routing table as the container process itself sees it
    String routes = Files.readString(Path.of("/proc", Long.toString(pid), "net", "route"));
    // 10.98.0.0/16 via 10.97.4.1, little-endian hex as the kernel prints it
    assertThat(routes).contains("0000620A").contains("0104610A");
    // 1250000 B/s = 10 Mbit/s
    assertThat(inNetnsOf(pid, "tc", "qdisc", "show", "dev", "eth0"))
        .contains("tbf")
        .contains("rate 10Mbit");

    cli.runhcs("delete", "--force", id).ok();
  }
}
