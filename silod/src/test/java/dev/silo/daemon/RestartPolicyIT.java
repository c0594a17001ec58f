package dev.silo.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Restart policies through the stock docker CLI against a real silod, as dockerd's restart manager:
 * {@code on-failure:N} stops after N restarts, {@code always} restarts with a backoff that doubles
 * from 100 ms until a stop cancels it for good, and a SIGKILLed daemon's successor applies
 * dockerd's boot rule to the containers that died while no daemon ran (exec instances are
 * forgotten).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RestartPolicyIT {
  private static final String IMAGE = "busybox:latest";

  private static SilodProcess d;

  @BeforeAll
  static void start() throws Exception {
    d = SilodProcess.startShort("sr");
    d.loadBusybox(IMAGE);
  }

  @AfterAll
  static void stop() throws Exception {
    if (d != null) {
      d.close();
    }
  }

  @Test
  @Order(10)
  void onFailureRestartsUpToItsLimit() {
    d.ok(
        "run",
        "-d",
        "--name",
        "flaky",
        "--restart",
        "on-failure:2",
        IMAGE,
        "sh",
        "-c",
        "echo run; exit 1");
    SilodProcess.until(
        "two restarts and the last exit",
        () ->
            d.docker("inspect", "flaky", "--format", "{{.RestartCount}} {{.State.Status}}")
                .out()
                .strip()
                .equals("2 exited"));
    assertThat(d.ok("logs", "flaky").out())
        .as("every run's output is kept")
        .isEqualTo("run\nrun\nrun\n");
    assertThat(d.ok("inspect", "flaky", "--format", "{{.State.ExitCode}}").out().strip())
        .isEqualTo("1");
    d.ok("rm", "flaky");
  }

  @Test
  @Order(20)
  void alwaysRestartsWithGrowingDelaysUntilAStop() throws Exception {
    try {
      long t0 = System.currentTimeMillis() / 1000 - 1;
      d.ok("run", "-d", "--name", "crashy", "--restart", "always", IMAGE, "sh", "-c", "exit 2");
      // dockerd's State while a restart waits: Running and Restarting, the exit code, RestartCount
      SilodProcess.until(
          "the fifth restart waiting (four done)",
          () -> {
            String st =
                d.docker(
                        "inspect",
                        "crashy",
                        "--format",
                        "{{.State.Status}} {{.State.Running}} {{.State.Restarting}} {{.State.ExitCode}}"
                            + " {{.RestartCount}}")
                    .out()
                    .strip();
            return st.matches("restarting true true 2 ([5-9]|\\d\\d)");
          });
      SilodProcess.until(
          "docker ps shows it restarting",
          () ->
              d.docker("ps", "--format", "{{.Names}} {{.Status}}")
                  .out()
                  .contains("crashy Restarting (2)"));
      d.ok("stop", "crashy");
      long stoppedAt = System.currentTimeMillis();
      String after =
          d.ok(
                  "inspect",
                  "crashy",
                  "--format",
                  "{{.State.Status}} {{.State.Restarting}} {{.RestartCount}}")
              .out()
              .strip();
      assertThat(after).startsWith("exited false ");
      int count = Integer.parseInt(after.substring("exited false ".length()));

      List<long[]> dieThenStart = new ArrayList<>(); // [die, start] nanos
      long die = -1;
      for (JsonNode e : events(t0 + "", cliTime(stoppedAt))) {
        if (!e.path("Actor").path("Attributes").path("name").asText().equals("crashy")) {
          continue;
        }
        String action = e.path("Action").asText();
        if (action.equals("die")) {
          die = e.path("timeNano").asLong();
        } else if (action.equals("start") && die >= 0) {
          dieThenStart.add(new long[] {die, e.path("timeNano").asLong()});
          die = -1;
        }
      }
      assertThat(dieThenStart)
          .as("one start after each decided restart")
          .hasSizeGreaterThanOrEqualTo(4);
      long[] expectedMs = {100, 200, 400, 800};
      List<Long> gaps = new ArrayList<>();
      for (long[] p : dieThenStart) {
        gaps.add((p[1] - p[0]) / 1_000_000);
      }
      for (int i = 0; i < expectedMs.length; i++) {
        assertThat(gaps.get(i))
            .as("gap before restart " + (i + 1) + " of " + gaps + " ms")
            .isGreaterThanOrEqualTo(expectedMs[i]);
      }
      assertThat(gaps.get(3)).as("gaps grow: " + gaps).isGreaterThan(gaps.get(0));

      // the stop canceled the waiting restart for good: nothing starts in the next 2.5 s (the
      // events request streams until then)
      for (JsonNode e : events(cliTime(stoppedAt), cliTime(stoppedAt + 2500))) {
        assertThat(
                e.path("Actor").path("Attributes").path("name").asText()
                    + " "
                    + e.path("Action").asText())
            .isNotEqualTo("crashy start");
      }
      assertThat(
              d.ok("inspect", "crashy", "--format", "{{.State.Status}} {{.RestartCount}}")
                  .out()
                  .strip())
          .isEqualTo("exited " + count);
      d.ok("rm", "crashy");
    } finally {
      d.docker("rm", "-f", "crashy"); // a failure leaves nothing to later tests
    }
  }

  @Test
  @Order(30)
  void aDaemonRestartAppliesTheRestartPoliciesAsDockerdAtBoot() throws Exception {
    try {
      d.ok("run", "-d", "--name", "keeper", "--restart", "always", IMAGE, "sleep", "300");
      d.ok("run", "-d", "--name", "quitter", "--restart", "unless-stopped", IMAGE, "sleep", "300");
      d.ok("run", "-d", "--name", "plain", IMAGE, "sleep", "300");
      d.ok("stop", "-t", "1", "quitter");
      d.ok("run", "-d", "--name", "execd", IMAGE, "sleep", "300");
      int execd = pid("execd");
      String execId =
          d.curl("POST", "/v1.47/containers/execd/exec", "{\"Cmd\":[\"sleep\",\"1234\"]}")
              .json()
              .path("Id")
              .asText();
      assertThat(d.curl("POST", "/v1.47/exec/" + execId + "/start", "{\"Detach\":true}").status())
          .isEqualTo(200);
      SilodProcess.until(
          "the exec'd process runs", () -> d.docker("top", "execd").out().contains("sleep 1234"));
      int keeper = pid("keeper");
      int plain = pid("plain");
      d.process.destroyForcibly(); // SIGKILL
      assertThat(d.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
      // both die while no daemon watches them
      SilodProcess.run(List.of("kill", "-9", keeper + "", plain + ""), Map.of());
      SilodProcess.until(
          "the containers are gone",
          () ->
              !Files.exists(Path.of("/proc/" + keeper))
                  && !Files.exists(Path.of("/proc/" + plain)));

      d.restart();
      SilodProcess.until(
          "keeper started again by its policy",
          () ->
              d.docker("inspect", "keeper", "--format", "{{.State.Status}}")
                  .out()
                  .strip()
                  .equals("running"));
      assertThat(pid("keeper")).isNotEqualTo(keeper);
      assertThat(d.ok("inspect", "keeper", "--format", "{{.RestartCount}}").out().strip())
          .as("a start at boot is a start by the daemon, RestartCount from 0 (dockerd)")
          .isEqualTo("0");
      assertThat(
              d.ok("inspect", "plain", "--format", "{{.State.Status}} {{.State.ExitCode}}")
                  .out()
                  .strip())
          .as("no policy: its death is recorded")
          .isEqualTo("exited 137");
      assertThat(d.ok("inspect", "quitter", "--format", "{{.State.Status}}").out().strip())
          .as("unless-stopped, stopped by the user")
          .isEqualTo("exited");
      assertThat(d.logText())
          .contains("started again by its restart policy always")
          .doesNotContain("started again by its restart policy unless-stopped");
      // exec instances are forgotten with the daemon (as dockerd's); the process they started runs
      // on
      // and does not change the container's state
      assertThat(d.curl("GET", "/v1.47/exec/" + execId + "/json", null).status()).isEqualTo(404);
      assertThat(pid("execd")).isEqualTo(execd);
      assertThat(d.ok("inspect", "execd", "--format", "{{.State.Status}}").out().strip())
          .isEqualTo("running");
      assertThat(d.ok("top", "execd").out()).contains("sleep 1234");
      assertThat(d.ok("exec", "execd", "echo", "hi").out()).isEqualTo("hi\n");
      d.ok("rm", "-f", "keeper", "quitter", "plain", "execd");
    } finally {
      d.docker(
          "rm", "-f", "keeper", "quitter", "plain",
          "execd"); // a failure leaves nothing to later tests
    }
  }

  // ---- helpers

  /** Milliseconds since the epoch as the CLI sends a time: {@code seconds.nanoseconds}. */
  private static String cliTime(long ms) {
    return String.format("%d.%09d", ms / 1000, (ms % 1000) * 1_000_000);
  }

  private static int pid(String name) {
    return Integer.parseInt(d.ok("inspect", name, "--format", "{{.State.Pid}}").out().strip());
  }

  /** The events between two CLI-style timestamps (seconds), as JSON objects. */
  private static List<JsonNode> events(String since, String until) throws IOException {
    SilodProcess.Http h = d.curl("GET", "/v1.47/events?since=" + since + "&until=" + until, null);
    assertThat(h.status()).as(h.body()).isEqualTo(200);
    List<JsonNode> out = new ArrayList<>();
    for (String line : h.body().lines().toList()) {
      if (!line.isBlank()) {
        out.add(SilodProcess.JSON.readTree(line));
      }
    }
    return out;
  }
}
