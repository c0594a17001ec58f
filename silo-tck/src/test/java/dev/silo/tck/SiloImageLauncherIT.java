package dev.silo.tck;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The packaged {@code dist/bin/silo-image} (offline, no daemon): its archive, written to a file or
 * piped, is {@code docker load}ed into a {@code dist/bin/silod} and runs; the os.version it was
 * asked for reaches the daemon's compatibility check; bad input is one line and leaves no file.
 */
class SiloImageLauncherIT {
  private static final long TIMEOUT_SECONDS = 60;
  private static final String DOCKER = "/usr/local/bin/docker";

  @Test
  void itsArchiveLoadsIntoSilodAndRuns() throws Exception {
    assertThat(System.getProperty("user.name")).as("runs as root").isEqualTo("root");
    Path siloImage = Cli.dist().resolve("bin/silo-image");
    assertThat(run(List.of(siloImage.toString(), "busybox", "--help"), Map.of()).out())
        .contains("--os-version", "--output", "NAME[:TAG]");

    Path base =
        Files.createDirectory(Path.of("/tmp/si-" + UUID.randomUUID().toString().substring(0, 8)));
    String netns = "siloimg-" + UUID.randomUUID().toString().substring(0, 8);
    assertThat(run(List.of("ip", "netns", "add", netns), Map.of()).exit()).isZero();
    Path socket = base.resolve("silod.sock");
    Process daemon = null;
    try {
      // bad input first: one line, exit 1, no archive and no temporary file in the directory
      Path out = base.resolve("out");
      Files.createDirectory(out);
      Result bad =
          run(
              List.of(
                  siloImage.toString(),
                  "busybox",
                  "--os-version",
                  "10.0",
                  "x",
                  "-o",
                  out.resolve("x.tar").toString()),
              Map.of());
      assertThat(bad.exit()).isEqualTo(1);
      assertThat(bad.err())
          .isEqualTo(
              "silo-image: --os-version: invalid OS version \"10.0\":"
                  + " expected major.minor.build[.revision]\n");
      try (Stream<Path> s = Files.list(out)) {
        assertThat(s.toList()).isEmpty();
      }

      Path archive = out.resolve("busybox.tar");
      Result built =
          run(
              List.of(siloImage.toString(), "busybox", "silo/busybox:it", "-o", archive.toString()),
              Map.of());
      assertThat(built.exit()).as(built.err()).isZero();
      assertThat(built.err()).contains("built silo/busybox:it sha256:", "10.0.20348.1");
      Result newer =
          run(
              List.of(
                  "sh",
                  "-c",
                  "\"$0\" busybox --os-version 10.0.26100.1 silo/busybox:ltsc2025 > \"$1\"",
                  siloImage.toString(),
                  out.resolve("ltsc2025.tar").toString()),
              Map.of());
      assertThat(newer.exit()).as(newer.err()).isZero();
      try (Stream<Path> s = Files.list(out)) {
        assertThat(s.map(p -> p.getFileName().toString()).sorted().toList())
            .containsExactly("busybox.tar", "ltsc2025.tar");
      }

      daemon =
          new ProcessBuilder(
                  Cli.dist().resolve("bin/silod").toString(),
                  "-H",
                  "unix://" + socket,
                  "--data-root",
                  base.resolve("data").toString(),
                  "--exec-root",
                  base.resolve("exec").toString(),
                  "--hns-host-netns",
                  netns)
              .redirectErrorStream(true)
              .redirectOutput(base.resolve("log").toFile())
              .start();
      Process d = daemon;
      Map<String, String> env =
          Map.of(
              "DOCKER_HOST", "unix://" + socket, "DOCKER_CONFIG", base.resolve("cfg").toString());
      Poll.until(
          "silod answers", () -> !d.isAlive() || run(List.of(DOCKER, "version"), env).exit() == 0);
      assertThat(d.isAlive()).as(Files.readString(base.resolve("log"))).isTrue();

      Result load = run(List.of(DOCKER, "load", "-i", archive.toString()), env);
      assertThat(load.out()).as(load.err()).contains("Loaded image: silo/busybox:it");
      Result piped =
          run(
              List.of(
                  "sh",
                  "-c",
                  "\"$0\" load < \"$1\"",
                  DOCKER,
                  out.resolve("ltsc2025.tar").toString()),
              env);
      assertThat(piped.out()).as(piped.err()).contains("Loaded image: silo/busybox:ltsc2025");
      assertThat(
              run(
                      List.of(
                          DOCKER, "image", "inspect", "-f", "{{.OsVersion}}", "silo/busybox:it"),
                      env)
                  .out())
          .isEqualTo("10.0.20348.1\n");

      Result hi =
          run(
              List.of(
                  DOCKER,
                  "run",
                  "--rm",
                  "--network",
                  "none",
                  "silo/busybox:it",
                  "sh",
                  "-c",
                  "cat /etc/hosts | head -n 1; ls /bin/busybox"),
              env);
      assertThat(hi.exit()).as(hi.err()).isZero();
      assertThat(hi.out()).isEqualTo("127.0.0.1\tlocalhost\n/bin/busybox\n");

      // silod's host is WS2022 (10.0.20348): a 2025 image may not run with process isolation
      Result mismatch =
          run(
              List.of(DOCKER, "run", "--rm", "--network", "none", "silo/busybox:ltsc2025", "true"),
              env);
      assertThat(mismatch.exit()).isNotZero();
      assertThat(mismatch.err())
          .contains("The container operating system does not match the host operating system");
      assertThat(run(List.of(DOCKER, "ps", "-aq"), env).out()).isEmpty();

      daemon.toHandle().destroy(); // SIGTERM
      assertThat(daemon.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();
      assertThat(daemon.exitValue()).as(Files.readString(base.resolve("log"))).isZero();
    } finally {
      if (daemon != null && daemon.isAlive()) {
        daemon.destroyForcibly();
        daemon.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      }
      run(List.of("ip", "netns", "del", netns), Map.of());
      try (Stream<Path> s = Files.walk(base)) {
        for (Path f : s.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(f);
        }
      }
    }
  }

  private record Result(int exit, String out, String err) {}

  private static Result run(List<String> cmd, Map<String, String> env) {
    try {
      Path out = Files.createTempFile("siloimg", ".out");
      Path err = Files.createTempFile("siloimg", ".err");
      try {
        ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(cmd));
        pb.environment().putAll(env);
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          throw new AssertionError("timed out: " + cmd);
        }
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
      } finally {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new AssertionError("cannot run " + cmd, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted: " + cmd, e);
    }
  }
}
