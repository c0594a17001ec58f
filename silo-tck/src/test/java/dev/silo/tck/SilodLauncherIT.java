package dev.silo.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.silo.images.ImageService;
import dev.silo.images.OsVersion;
import java.io.IOException;
import java.io.OutputStream;
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
 * The packaged {@code dist/bin/silod} (jlink'ed runtime, Netty's native epoll transport, the
 * daemon's class path) serving the stock docker CLI in a private HNS host netns, and stopping on
 * SIGTERM with exit 0.
 */
class SilodLauncherIT {
  private static final long TIMEOUT_SECONDS = 30;

  @Test
  void theLauncherServesDockerAndStopsOnSigterm() throws Exception {
    assertThat(System.getProperty("user.name")).as("runs as root").isEqualTo("root");
    Path silod = Cli.dist().resolve("bin/silod");
    assertThat(run(List.of(silod.toString(), "--help"), Map.of()).out())
        .contains("--data-root", "--exec-root", "--log-level", "--host-os-version", "-H");

    // short: a container's attach socket lives under the exec root and must fit in sun_path
    Path base =
        Files.createDirectory(Path.of("/tmp/sl-" + UUID.randomUUID().toString().substring(0, 8)));
    String netns = "silodl-" + UUID.randomUUID().toString().substring(0, 8);
    assertThat(run(List.of("ip", "netns", "add", netns), Map.of()).exit()).isZero();
    Path socket = base.resolve("silod.sock");
    Process p = null;
    try {
      p =
          new ProcessBuilder(
                  silod.toString(),
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
      Process daemon = p;
      Map<String, String> env =
          Map.of(
              "DOCKER_HOST", "unix://" + socket, "DOCKER_CONFIG", base.resolve("cfg").toString());
      Poll.until(
          "silod answers",
          () ->
              !daemon.isAlive()
                  || run(List.of("/usr/local/bin/docker", "version"), env).exit() == 0);
      assertThat(daemon.isAlive()).as(Files.readString(base.resolve("log"))).isTrue();

      Result v =
          run(
              List.of(
                  "/usr/local/bin/docker",
                  "version",
                  "--format",
                  "{{.Server.Os}} {{.Server.APIVersion}}"),
              env);
      assertThat(v.out().trim()).isEqualTo("linux 1.47");
      Result c =
          run(
              List.of(
                  "/usr/local/bin/docker", "network", "create", "--subnet", "10.93.0.0/24", "l1"),
              env);
      assertThat(c.exit()).as(c.err()).isZero();
      assertThat(
              run(List.of("/usr/local/bin/docker", "network", "ls", "--format", "{{.Name}}"), env)
                  .out()
                  .lines())
          .contains("l1", "nat");
      assertThat(run(List.of("/usr/local/bin/docker", "network", "rm", "l1"), env).exit()).isZero();

      // an image loaded and a container run through the launcher: the image store's archive
      // library is on the launcher's class path (a test-scoped silo-images once left it out)
      Path images = base.resolve("images");
      ImageService store = ImageService.open(images, OsVersion.parse("10.0.20348"));
      store.buildBusybox("busybox:latest");
      Path archive = base.resolve("busybox.tar");
      try (OutputStream out = Files.newOutputStream(archive)) {
        store.save(List.of("busybox:latest"), out);
      }
      Result load = run(List.of("/usr/local/bin/docker", "load", "-i", archive.toString()), env);
      assertThat(load.out()).as(load.err()).contains("Loaded image: busybox:latest");
      Result hi =
          run(
              List.of(
                  "/usr/local/bin/docker",
                  "run",
                  "--rm",
                  "--network",
                  "none",
                  "busybox:latest",
                  "echo",
                  "hi"),
              env);
      assertThat(hi.out()).as(hi.err()).isEqualTo("hi\n");
      assertThat(hi.exit()).isZero();

      daemon.toHandle().destroy(); // SIGTERM
      assertThat(daemon.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();
      assertThat(daemon.exitValue()).as(Files.readString(base.resolve("log"))).isZero();
      assertThat(socket).doesNotExist();
      assertThat(Files.readString(base.resolve("log")))
          .doesNotContain("WARNING")
          .doesNotContain("Exception");
    } finally {
      if (p != null && p.isAlive()) {
        p.destroyForcibly();
        p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
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
      Path out = Files.createTempFile("silodl", ".out");
      Path err = Files.createTempFile("silodl", ".err");
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
