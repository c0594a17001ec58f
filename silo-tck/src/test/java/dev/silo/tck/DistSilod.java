package dev.silo.tck;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The packaged {@code dist/bin/silod} on a private socket, data root and exec root under a short
 * {@code /tmp} directory (a container's attach socket must fit in sun_path), its HNS host a netns
 * of its own; driven by the stock docker CLI. {@link #close()} removes all of it.
 */
final class DistSilod implements AutoCloseable {
  static final String DOCKER = "/usr/local/bin/docker";
  static final long TIMEOUT_SECONDS = 60;

  /** Exit code and output of one command. */
  record Result(int exit, String out, String err) {}

  final Path base;
  final Path socket;
  final Map<String, String> env;
  private final String netns;
  private final Process daemon;

  private DistSilod(Path base, String netns, Process daemon) {
    this.base = base;
    this.netns = netns;
    this.daemon = daemon;
    this.socket = base.resolve("silod.sock");
    this.env =
        Map.of("DOCKER_HOST", "unix://" + socket, "DOCKER_CONFIG", base.resolve("cfg").toString());
  }

  /** Starts the daemon under {@code /tmp/PREFIX-…} and waits until {@code docker version} works. */
  static DistSilod start(String prefix) throws IOException {
    assertThat(System.getProperty("user.name")).as("runs as root").isEqualTo("root");
    String tag = UUID.randomUUID().toString().substring(0, 8);
    Path base = Files.createDirectory(Path.of("/tmp/" + prefix + "-" + tag));
    String netns = prefix + "-" + tag;
    assertThat(run(List.of("ip", "netns", "add", netns), Map.of()).exit()).isZero();
    Process p;
    try {
      p =
          new ProcessBuilder(
                  Cli.dist().resolve("bin/silod").toString(),
                  "-H",
                  "unix://" + base.resolve("silod.sock"),
                  "--data-root",
                  base.resolve("data").toString(),
                  "--exec-root",
                  base.resolve("exec").toString(),
                  "--hns-host-netns",
                  netns)
              .redirectErrorStream(true)
              .redirectOutput(base.resolve("log").toFile())
              .start();
    } catch (IOException | RuntimeException e) {
      run(List.of("ip", "netns", "del", netns), Map.of());
      deleteTree(base);
      throw e;
    }
    DistSilod d = new DistSilod(base, netns, p);
    try {
      Poll.until("silod answers", () -> !p.isAlive() || d.docker("version").exit() == 0);
      assertThat(p.isAlive()).as(d.log()).isTrue();
    } catch (AssertionError | RuntimeException e) {
      d.close();
      throw e;
    }
    return d;
  }

  /** {@code docker ARGS…} against this daemon. */
  Result docker(String... args) {
    List<String> cmd = new ArrayList<>(List.of(DOCKER));
    cmd.addAll(List.of(args));
    return run(cmd, env);
  }

  String log() {
    try {
      return Files.readString(base.resolve("log"));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  /** SIGTERM, as an init system stops it: the daemon must end with exit 0. */
  void stop() throws InterruptedException {
    daemon.toHandle().destroy();
    assertThat(daemon.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();
    assertThat(daemon.exitValue()).as(log()).isZero();
  }

  @Override
  public void close() throws IOException {
    if (daemon.isAlive()) {
      daemon.destroyForcibly();
      try {
        daemon.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    run(List.of("ip", "netns", "del", netns), Map.of());
    deleteTree(base);
  }

  private static void deleteTree(Path dir) throws IOException {
    dev.silo.linux.fs.FileTrees.deleteTree(dir);
  }

  /** Runs a command with output to files (a detached child keeps no pipe open), bounded. */
  static Result run(List<String> cmd, Map<String, String> env) {
    try {
      Path out = Files.createTempFile("silo-tck", ".out");
      Path err = Files.createTempFile("silo-tck", ".err");
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
