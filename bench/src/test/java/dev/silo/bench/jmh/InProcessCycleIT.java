package dev.silo.bench.jmh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.silo.api.HcsException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The in-process cycle against the real kernel: real containers, and nothing left behind, also
 * after a failure.
 */
class InProcessCycleIT {

  private static Path work = Path.of("/nonexistent");

  @BeforeAll
  static void bundle() throws Exception {
    assertThat(ProcessHandle.current().info().user())
        .as("real-kernel test runs as root")
        .hasValue("root");
    work = Files.createTempDirectory("silo-jmh-it");
    Path script = Path.of("").toAbsolutePath().resolve("make-bundle.sh");
    Process p =
        new ProcessBuilder(script.toString(), work.resolve("bundle").toString())
            .inheritIO()
            .start();
    assertThat(p.waitFor()).as("make-bundle.sh").isZero();
    // A bundle whose rootfs does not exist: create must fail, and close must still leave nothing.
    Path broken = Files.createDirectories(work.resolve("broken"));
    Files.writeString(
        broken.resolve("config.json"),
        Files.readString(work.resolve("bundle/config.json"))
            .replace("\"path\": \"rootfs\"", "\"path\": \"missing\""));
  }

  @AfterAll
  static void removeWork() throws Exception {
    Scratch.remove(work);
  }

  @Test
  void runsCompleteCyclesInPhaseOrderAndRemovesEverything() throws Exception {
    long[] marks = new long[InProcessCycle.PHASES.size() + 1];
    InProcessCycle cycle =
        InProcessCycle.open(work.resolve("bundle"), "sjit" + ProcessHandle.current().pid());
    try {
      for (int i = 0; i < 3; i++) {
        cycle.run(marks);
        for (int p = 1; p < marks.length; p++) {
          assertThat(marks[p])
              .as("end of %s", InProcessCycle.PHASES.get(p - 1))
              .isGreaterThanOrEqualTo(marks[p - 1]);
        }
        // Each container really ran: a create that forked nothing could not take this long.
        assertThat(marks[1] - marks[0]).as("create").isPositive();
      }
    } finally {
      cycle.close();
    }
    assertThat(Scratch.cgroupsNamed("sjit" + ProcessHandle.current().pid() + "-")).isEmpty();
  }

  @Test
  void aFailedCreateLeavesNoStateNorCgroup() throws Exception {
    String prefix = "sjbad" + ProcessHandle.current().pid();
    InProcessCycle cycle = InProcessCycle.open(work.resolve("broken"), prefix);
    assertThatThrownBy(() -> cycle.run(new long[6]))
        .isInstanceOf(HcsException.class)
        .hasMessageContaining("rootfs");
    cycle.close();
    assertThat(Scratch.cgroupsNamed(prefix + "-")).isEmpty();
  }
}
