package dev.silo.hns;

import static dev.silo.hns.TestHns.id;
import static org.assertj.core.api.Assertions.assertThat;

import dev.silo.schema.hcn.HostComputeEndpoint;
import dev.silo.schema.hcn.HostComputeNetwork;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 200 endpoints created at once by 8 threads here and 8 threads in each of two other JVMs, all on
 * one store file: every endpoint gets its own address and MAC.
 */
class ConcurrencyTest {
  @TempDir Path dir;

  @Test
  void twoHundredConcurrentCreatesAcrossThreadsAndProcessesGetDistinctAddresses() throws Exception {
    TestHns t = new TestHns(dir);
    HostNetworkService hns = t.open();
    HostComputeNetwork n = hns.createNetwork(TestHns.nat("nat", "172.30.0.0/16"));
    List<Process> children = new ArrayList<>();
    try {
      for (String prefix : List.of("p1", "p2")) {
        children.add(child(t, id(n), prefix, 50));
      }
      ConcurrentCreateMain.createAll(hns, id(n), "local", 100);
      for (Process p : children) {
        assertThat(p.waitFor(180, TimeUnit.SECONDS)).as("child JVM finished").isTrue();
        assertThat(p.exitValue()).as("child JVM exit status").isZero();
      }
    } finally {
      children.forEach(Process::destroyForcibly);
    }

    List<HostComputeEndpoint> eps = hns.listEndpoints(null);
    assertThat(eps).hasSize(200);
    assertThat(eps.stream().map(e -> e.ipConfigurations().get(0).ipAddress()).distinct())
        .hasSize(200);
    assertThat(eps.stream().map(HostComputeEndpoint::macAddress).distinct()).hasSize(200);
    assertThat(
            eps.stream()
                .map(HostComputeEndpoint::name)
                .filter(s -> s != null && s.startsWith("p2-")))
        .hasSize(50);
    t.assertRows(201, 200, 200, 0);
  }

  @Test
  void aProcessKilledInsideATransactionLeavesNoRowAndNoLock() throws Exception {
    TestHns t = new TestHns(dir);
    HostNetworkService hns = t.open();
    HostComputeNetwork n = hns.createNetwork(TestHns.nat("nat", "172.30.0.0/16"));

    Process p = child(t, id(n), "crash", 1, "applyEndpointPolicies");
    try {
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    } finally {
      p.destroyForcibly();
    }

    assertThat(p.exitValue()).as("child halted inside the transaction").isEqualTo(42);
    assertThat(hns.listEndpoints(null)).isEmpty();
    t.assertRows(1, 0, 0, 0);
    // The write lock died with the process: the address it had claimed is free again.
    assertThat(
            hns.createEndpoint(TestHns.endpoint("after", n)).ipConfigurations().get(0).ipAddress())
        .isEqualTo("172.30.0.2");
  }

  private static Process child(TestHns t, String network, String prefix, int count, String... extra)
      throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(
            java,
            "-cp",
            System.getProperty("java.class.path"),
            ConcurrentCreateMain.class.getName(),
            t.db.toString(),
            t.bootId.toString(),
            network,
            prefix,
            Integer.toString(count),
            extra.length > 0 ? extra[0] : "")
        .redirectErrorStream(true)
        .redirectOutput(t.dir.resolve(prefix + ".log").toFile())
        .start();
  }
}
