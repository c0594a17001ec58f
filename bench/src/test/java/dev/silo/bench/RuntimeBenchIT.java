package dev.silo.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs the real harness against the installed runc and crun (root, hybrid or not) with a real
 * bundle.
 */
class RuntimeBenchIT {

  private static final Path RUNC = Path.of("/usr/sbin/runc");
  private static final Path CRUN = Path.of("/usr/bin/crun");

  private static Path work = Path.of("/nonexistent");

  @BeforeAll
  static void bundle() throws Exception {
    assertThat(ProcessHandle.current().info().user())
        .as("real-kernel test runs as root")
        .hasValue("root");
    work = Files.createTempDirectory("silo-bench-it");
    Path script = Path.of("").toAbsolutePath().resolve("make-bundle.sh");
    Process p =
        new ProcessBuilder(script.toString(), work.resolve("bundle").toString())
            .inheritIO()
            .start();
    assertThat(p.waitFor()).as("make-bundle.sh").isZero();
    // A second bundle on the same rootfs whose process fails, to drive the error path.
    Path failing = Files.createDirectories(work.resolve("failing"));
    String config = Files.readString(work.resolve("bundle/config.json"));
    Files.writeString(
        failing.resolve("config.json"),
        config
            .replace("\"/bin/true\"", "\"/bin/false\"")
            .replace(
                "\"path\": \"rootfs\"", "\"path\": \"" + work.resolve("bundle/rootfs") + "\""));
  }

  @AfterAll
  static void removeWork() throws IOException {
    if (Files.isDirectory(work)) {
      try (Stream<Path> all = Files.walk(work)) {
        for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }

  private static BenchOptions options(String bundle, String prefix) {
    return BenchOptions.parse(
        new String[] {
          "--work",
          work.toString(),
          "--bundle",
          work.resolve(bundle).toString(),
          "--runs",
          "2",
          "--warmup",
          "1",
          "--id-prefix",
          prefix,
          "runc=" + RUNC,
          "crun=" + CRUN
        });
  }

  @Test
  void measuresEveryScenarioForEveryRuntimeAndLeavesNothingBehind() throws Exception {
    Results results = RuntimeBench.measure(options("bundle", "itok"));

    assertThat(results.runtimes.keySet()).containsExactly("runc", "crun");
    assertThat(results.floor).hasSize(2);
    for (Results.PerRuntime r : results.runtimes.values()) {
      for (String scenario : Results.SCENARIOS) {
        assertThat(r.samples.get(scenario))
            .as(r.spec.name() + " " + scenario)
            .hasSize(2)
            .allMatch(v -> v > 0);
      }
      // The cycle is timed end to end, so it cannot be shorter than its phases.
      Stats cycle = r.stats("cycle");
      double phases =
          Stream.of("create", "start", "wait", "state", "delete")
              .mapToDouble(s -> r.stats(s).min())
              .sum();
      assertThat(cycle.max()).isGreaterThanOrEqualTo(phases);
      assertThat(r.peakRssKb).as(r.spec.name() + " peak RSS").isGreaterThan(500);
      assertThat(r.version).contains(r.spec.name());
    }
    // On a hybrid host (cgroup2 at /sys/fs/cgroup/unified) crun only works with cgroup2 hidden.
    assertThat(results.get("crun").hideCgroup2)
        .isEqualTo(Files.exists(Path.of("/sys/fs/cgroup/unified/cgroup.procs")));
    assertThat(results.get("runc").hideCgroup2).isFalse();
    assertNoLeftovers("itok");
  }

  @Test
  void aFailingContainerStopsTheRunWithTheRuntimesErrorAndIsCleanedUp() {
    assertThatThrownBy(() -> RuntimeBench.measure(options("failing", "itfail")))
        .isInstanceOf(BenchException.class)
        .hasMessageContaining("runc")
        .hasMessageContaining("exited 1");
    assertNoLeftovers("itfail");
  }

  private static void assertNoLeftovers(String prefix) {
    assertThat(listContainers(RUNC, work.resolve("state/runc"))).isEmpty();
    // crun keeps one directory per container in its root; it cannot be listed from the hybrid host
    // namespace.
    Path crunRoot = work.resolve("state/crun");
    if (Files.isDirectory(crunRoot)) {
      try (Stream<Path> left = Files.list(crunRoot)) {
        assertThat(left.filter(Files::isDirectory).toList())
            .as("crun containers left behind")
            .isEmpty();
      } catch (IOException e) {
        throw new AssertionError(e);
      }
    }
    List<Path> cgroups = new ArrayList<>();
    try (Stream<Path> controllers = Files.list(Path.of("/sys/fs/cgroup"))) {
      for (Path c : controllers.toList()) {
        try (Stream<Path> children = Files.list(c)) {
          children
              .filter(p -> p.getFileName().toString().startsWith(prefix + "-"))
              .forEach(cgroups::add);
        } catch (IOException notADirectory) {
          // plain files next to the controllers
        }
      }
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    assertThat(cgroups).as("cgroups left behind").isEmpty();
  }

  private static List<String> listContainers(Path runtime, Path root) {
    try {
      Process p =
          new ProcessBuilder(runtime.toString(), "--root", root.toString(), "list", "-q").start();
      List<String> ids =
          new String(p.getInputStream().readAllBytes()).lines().filter(s -> !s.isBlank()).toList();
      assertThat(p.waitFor()).isZero();
      return ids;
    } catch (IOException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
