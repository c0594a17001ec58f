package dev.silo.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Docker health checks through the stock docker CLI against a real silod: a passing probe makes the
 * container healthy, a failing one unhealthy after its retries (FailingStreak, the Log with exit
 * codes and output), a probe past its timeout is killed and counted as "Health check exceeded
 * timeout", {@code --no-healthcheck} runs none, an image's HEALTHCHECK runs unless turned off;
 * {@code docker ps} shows and filters the health, {@code health_status} events come out of {@code
 * docker events}; the probes stop with the container and with its removal, and start again after a
 * daemon restart.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HealthIT {
  private static final String IMAGE = "busybox:latest";

  private static final String CHECKED = "silo/checked:1";

  private static SilodProcess d;
  private static String t0 = "";

  @BeforeAll
  static void start() throws Exception {
    d = SilodProcess.startShort("sh");
    Path archive = d.busyboxArchive(IMAGE);
    ok("load", "-i", archive.toString());
    Path checked = d.base.resolve("checked.tar");
    withHealthcheck(archive, checked);
    ok("load", "-i", checked.toString());
    t0 = Long.toString(Instant.now().getEpochSecond() - 1);
  }

  @AfterAll
  static void stop() throws Exception {
    if (d != null) {
      d.docker("rm", "-f", "good", "bad", "slow", "plain", "later", "fromImage", "notFromImage");
      d.close();
    }
  }

  private static SilodProcess.Result ok(String... args) {
    return d.ok(args);
  }

  private static JsonNode state(String name) throws Exception {
    return SilodProcess.JSON.readTree(ok("inspect", name).out()).get(0).path("State");
  }

  private static String health(String name) {
    try {
      return state(name).path("Health").path("Status").asText();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static List<String> ps(String... filters) {
    List<String> args = new ArrayList<>(List.of("ps", "--format", "{{.Names}} {{.Status}}"));
    for (String f : filters) {
      args.addAll(List.of("--filter", f));
    }
    return ok(args.toArray(String[]::new)).out().lines().toList();
  }

  @Test
  @Order(10)
  void aPassingProbeMakesTheContainerHealthy() throws Exception {
    ok(
        "run",
        "-d",
        "--name",
        "good",
        "--health-cmd",
        "echo fine",
        "--health-interval",
        "1s",
        IMAGE,
        "sleep",
        "300");
    // a long interval: no probe has run yet, the container is starting
    ok(
        "run",
        "-d",
        "--name",
        "later",
        "--health-cmd",
        "true",
        "--health-interval",
        "5m",
        IMAGE,
        "sleep",
        "300");
    assertThat(health("later")).isEqualTo("starting");
    assertThat(ps("name=later"))
        .singleElement()
        .asString()
        .matches("later Up .* \\(health: starting\\)");
    assertThat(ps("health=starting")).anyMatch(l -> l.startsWith("later "));

    SilodProcess.until("good is healthy", () -> health("good").equals("healthy"));
    JsonNode h = state("good").path("Health");
    assertThat(h.path("FailingStreak").asInt()).isZero();
    JsonNode first = h.path("Log").get(0);
    assertThat(first.path("ExitCode").asInt()).isZero();
    assertThat(first.path("Output").asText()).isEqualTo("fine\n");
    assertThat(Instant.parse(first.path("End").asText()))
        .isAfterOrEqualTo(Instant.parse(first.path("Start").asText()));
    assertThat(ps("name=good")).singleElement().asString().matches("good Up .* \\(healthy\\)");
    assertThat(ps("health=healthy")).containsExactly(ps("name=good").get(0));
  }

  @Test
  @Order(20)
  void aFailingProbeMakesItUnhealthyAfterItsRetriesAndTheLogKeepsFive() throws Exception {
    ok(
        "run",
        "-d",
        "--name",
        "bad",
        "--health-cmd",
        "echo broken; exit 3",
        "--health-interval",
        "1s",
        "--health-retries",
        "2",
        IMAGE,
        "sleep",
        "300");
    SilodProcess.until("bad is unhealthy", () -> health("bad").equals("unhealthy"));
    JsonNode h = state("bad").path("Health");
    assertThat(h.path("FailingStreak").asInt()).isGreaterThanOrEqualTo(2);
    for (JsonNode r : h.path("Log")) {
      assertThat(r.path("ExitCode").asInt()).isEqualTo(3);
      assertThat(r.path("Output").asText()).isEqualTo("broken\n");
    }
    assertThat(ps("health=unhealthy"))
        .singleElement()
        .asString()
        .matches("bad Up .* \\(unhealthy\\)");
    SilodProcess.until(
        "six probes of bad (the log keeps five)",
        () -> {
          try {
            return state("bad").path("Health").path("FailingStreak").asInt() >= 6;
          } catch (Exception e) {
            throw new AssertionError(e);
          }
        });
    assertThat(state("bad").path("Health").path("Log").size()).isEqualTo(5);
  }

  @Test
  @Order(30)
  void aProbePastItsTimeoutIsKilledAndCountedAsAFailure() throws Exception {
    ok(
        "run",
        "-d",
        "--name",
        "slow",
        "--health-cmd",
        "sleep 30",
        "--health-interval",
        "1s",
        "--health-timeout",
        "500ms",
        "--health-retries",
        "1",
        IMAGE,
        "sleep",
        "300");
    SilodProcess.until("slow is unhealthy", () -> health("slow").equals("unhealthy"));
    JsonNode r = state("slow").path("Health").path("Log").get(0);
    assertThat(r.path("ExitCode").asInt()).isEqualTo(-1);
    assertThat(r.path("Output").asText()).isEqualTo("Health check exceeded timeout (500ms)");
    // the killed probe is gone: its end is within a second or so of its start, not 30 s later
    assertThat(
            java.time.Duration.between(
                Instant.parse(r.path("Start").asText()), Instant.parse(r.path("End").asText())))
        .isLessThan(java.time.Duration.ofSeconds(10));
    assertThat(ok("top", "slow").out().lines().filter(l -> l.contains("sleep 30")).count())
        .as("at most the probe running now")
        .isLessThanOrEqualTo(1);
  }

  @Test
  @Order(40)
  void noHealthcheckRunsNone() throws Exception {
    ok("run", "-d", "--name", "plain", "--no-healthcheck", IMAGE, "sleep", "300");
    JsonNode c = SilodProcess.JSON.readTree(ok("inspect", "plain").out()).get(0);
    assertThat(c.path("Config").path("Healthcheck").path("Test").toString())
        .isEqualTo("[\"NONE\"]");
    assertThat(c.path("State").has("Health")).isFalse();
    assertThat(ps("name=plain")).singleElement().asString().matches("plain Up [^(]*");
    assertThat(ps("health=none")).anyMatch(l -> l.startsWith("plain "));
    assertThat(ps("health=none")).noneMatch(l -> l.startsWith("good "));
  }

  @Test
  @Order(45)
  void theImagesHealthcheckRunsUnlessTheCreateTurnsItOff() throws Exception {
    ok("run", "-d", "--name", "fromImage", CHECKED, "sleep", "300");
    ok("run", "-d", "--name", "notFromImage", "--no-healthcheck", CHECKED, "sleep", "300");
    SilodProcess.until("fromImage is healthy", () -> health("fromImage").equals("healthy"));
    JsonNode c = SilodProcess.JSON.readTree(ok("inspect", "fromImage").out()).get(0);
    assertThat(c.path("Config").path("Healthcheck").path("Test").toString())
        .isEqualTo("[\"CMD-SHELL\",\"echo from-image\"]");
    assertThat(c.path("State").path("Health").path("Log").get(0).path("Output").asText())
        .isEqualTo("from-image\n");
    assertThat(state("notFromImage").has("Health")).isFalse();
    ok("rm", "-f", "fromImage", "notFromImage");
  }

  /**
   * A docker-archive of {@code in}'s image as {@value #CHECKED} whose config carries a HEALTHCHECK
   * (as {@code docker build} writes it): the config is rewritten under its new digest.
   */
  private static void withHealthcheck(Path in, Path out) throws Exception {
    java.util.Map<String, byte[]> entries = new java.util.LinkedHashMap<>();
    try (var tar =
        new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(
            Files.newInputStream(in))) {
      org.apache.commons.compress.archivers.tar.TarArchiveEntry e;
      while ((e = tar.getNextEntry()) != null) {
        if (e.isFile()) {
          entries.put(e.getName(), tar.readAllBytes());
        }
      }
    }
    var manifest =
        (com.fasterxml.jackson.databind.node.ObjectNode)
            SilodProcess.JSON.readTree(entries.get("manifest.json")).get(0);
    var config =
        (com.fasterxml.jackson.databind.node.ObjectNode)
            SilodProcess.JSON.readTree(entries.get(manifest.get("Config").asText()));
    var check =
        ((com.fasterxml.jackson.databind.node.ObjectNode) config.get("config"))
            .putObject("Healthcheck");
    check.putArray("Test").add("CMD-SHELL").add("echo from-image");
    check.put("Interval", 1_000_000_000L);
    byte[] cfg = SilodProcess.JSON.writeValueAsBytes(config);
    String name =
        "blobs/sha256/"
            + java.util.HexFormat.of()
                .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(cfg));
    manifest.put("Config", name);
    manifest.putArray("RepoTags").add(CHECKED);
    entries.remove("index.json");
    entries.put(name, cfg);
    entries.put(
        "manifest.json",
        SilodProcess.JSON.writeValueAsBytes(SilodProcess.JSON.createArrayNode().add(manifest)));
    try (var tar =
        new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(
            Files.newOutputStream(out))) {
      tar.setLongFileMode(
          org.apache.commons.compress.archivers.tar.TarArchiveOutputStream.LONGFILE_POSIX);
      for (var e : entries.entrySet()) {
        var entry = new org.apache.commons.compress.archivers.tar.TarArchiveEntry(e.getKey());
        entry.setSize(e.getValue().length);
        tar.putArchiveEntry(entry);
        tar.write(e.getValue());
        tar.closeArchiveEntry();
      }
    }
  }

  @Test
  @Order(50)
  void badTimingsAreRefusedAndNothingIsLeft() throws Exception {
    String before = ok("ps", "-aq").out();
    SilodProcess.Http r =
        d.curl(
            "POST",
            "/containers/create?name=tooFast",
            "{\"Image\":\""
                + IMAGE
                + "\",\"Healthcheck\":{\"Test\":[\"CMD\",\"true\"],"
                + "\"Interval\":1000}}");
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().path("message").asText())
        .isEqualTo("Interval in Healthcheck cannot be less than 1ms");
    assertThat(ok("ps", "-a", "--filter", "name=tooFast", "-q").out()).isEmpty();
    assertThat(ok("ps", "-aq").out()).isEqualTo(before);
    SilodProcess.Result bad = d.docker("ps", "--filter", "health=wobbly");
    assertThat(bad.exit()).isNotZero();
    assertThat(bad.err()).contains("Unrecognised filter value for health: wobbly");
  }

  @Test
  @Order(60)
  void theStatusChangesAreHealthStatusEvents() throws Exception {
    String until = Long.toString(Instant.now().getEpochSecond() + 1);
    List<String> events =
        ok(
                "events",
                "--since",
                t0,
                "--until",
                until,
                "--filter",
                "event=health_status",
                "--format",
                "{{.Actor.Attributes.name}} {{.Action}}")
            .out()
            .lines()
            .toList();
    assertThat(events)
        .contains(
            "good health_status: healthy",
            "bad health_status: unhealthy",
            "slow health_status: unhealthy")
        .allMatch(l -> l.contains(" health_status: "))
        .noneMatch(l -> l.startsWith("later ") || l.startsWith("plain "));
    // the probes are execs, as dockerd's
    assertThat(
            ok(
                    "events",
                    "--since",
                    t0,
                    "--until",
                    until,
                    "--filter",
                    "container=good",
                    "--filter",
                    "event=exec_start",
                    "--format",
                    "{{.Action}}")
                .out())
        .contains("exec_start: /bin/sh -c echo fine");
  }

  @Test
  @Order(70)
  void probesStartAgainAfterADaemonRestart() throws Exception {
    d.process.destroyForcibly(); // SIGKILL: the containers keep running under their monitors
    assertThat(d.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    d.restart();
    // as dockerd restoring a running container: starting again, then healthy from new probes
    SilodProcess.until("good is healthy again", () -> health("good").equals("healthy"));
    SilodProcess.until("bad is unhealthy again", () -> health("bad").equals("unhealthy"));
  }

  @Test
  @Order(75)
  void aPauseEndsTheProbesAndAnUnpauseResumesThem() throws Exception {
    ok("pause", "good");
    // as dockerd: the monitor closes and the status is unhealthy while paused
    assertThat(health("good")).isEqualTo("unhealthy");
    assertThat(ps("name=good")).singleElement().asString().matches("good Up .* \\(Paused\\)");
    ok("unpause", "good");
    SilodProcess.until("good is healthy after the unpause", () -> health("good").equals("healthy"));
  }

  @Test
  @Order(80)
  void probesStopWithTheContainerAndWithItsRemoval() throws Exception {
    ok("stop", "-t", "1", "bad");
    JsonNode stopped = state("bad").path("Health");
    assertThat(stopped.path("Status").asText()).isEqualTo("unhealthy");
    String id = ok("inspect", "--format", "{{.Id}}", "good").out().strip();
    ok("rm", "-f", "good");
    Instant now = Instant.now();
    String since = now.getEpochSecond() + "." + String.format("%09d", now.getNano());
    // three intervals of the removed container's probe, and of the stopped one's: no probe ran
    List<String> after =
        ok(
                "events",
                "--since",
                since,
                "--until",
                Long.toString(now.getEpochSecond() + 3),
                "--filter",
                "event=exec_create",
                "--format",
                "{{.Actor.Attributes.name}}")
            .out()
            .lines()
            .toList();
    assertThat(after).doesNotContain("good", "bad");
    assertThat(state("bad").path("Health").path("Log")).isEqualTo(stopped.path("Log"));
    assertThat(d.docker("inspect", id).exit()).isNotZero();
    ok("rm", "-f", "bad", "slow", "plain", "later");
    assertThat(ok("ps", "-aq").out()).isEmpty();
    // the probe's pipe readers (platform threads, "health-out-…") are gone with the containers
    SilodProcess.until("no probe thread left in silod", () -> probeThreads().isEmpty());
  }

  private static List<String> probeThreads() {
    List<String> out = new ArrayList<>();
    try (var tasks = Files.list(Path.of("/proc/" + d.process.pid() + "/task"))) {
      for (Path t : tasks.toList()) {
        try {
          String comm = Files.readString(t.resolve("comm")).strip();
          if (comm.startsWith("health-")) {
            out.add(comm);
          }
        } catch (java.io.IOException e) {
          // the thread ended while listed
        }
      }
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
    return out;
  }
}
