package dev.silo.tck;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real callers of a runc-compatible runtime against dist/bin/runhcs: runc 1.1.5's own bats
 * suite, containerd 1.6 (ctr), podman 4.3 (conmon) and dockerd 20.10, through the scripts in
 * src/test/clients (docs/clients.md). Each must exit 0 and report "0 failed"; their output is
 * printed so that a failure shows which check broke. The Debian packages come from
 * tools/install-client-deps.sh, run first (a no-op when everything is cached).
 */
class RealClientsIT {
  /** runc's bats files the issue names; the skips left are runc's own (cgroup v2, rootless). */
  static final List<String> BATS_FILES =
      List.of(
          "start_hello",
          "create",
          "delete",
          "kill",
          "exec",
          "ps",
          "state",
          "list",
          "pause",
          "run",
          "cgroups",
          "spec",
          "update",
          "events",
          "hooks",
          "mounts",
          "mask",
          "tty");

  /** Daemons and helpers only the client scripts start: none may outlive a script. */
  static final Set<String> CLIENT_PROCESSES =
      Set.of(
          "containerd",
          "containerd-shim",
          "containerd-shim-runc-v2",
          "dockerd",
          "docker-registry",
          "conmon",
          "podman",
          "bats");

  @TempDir static Path temp;

  @BeforeAll
  static void installClientPackages() throws Exception {
    assertThat(uid()).as("the real clients run containers as root: run the ITs as root").isZero();
    Result r =
        run(
            "install-client-deps",
            List.of(repo().resolve("tools/install-client-deps.sh").toString()),
            1200);
    assertThat(r.code()).as("tools/install-client-deps.sh exit code:%n%s", r.out()).isZero();
  }

  @Test
  void runcBatsSuitePassesWithRuncsOwnSkipsOnly() throws Exception {
    List<String> cmd = new ArrayList<>(List.of(script("runc-bats.sh")));
    cmd.addAll(BATS_FILES);
    Result r = runClient("runc-bats", cmd, 1500);
    assertThat(r.out()).containsPattern("(?m)^[1-9][0-9]* passed, 0 failed, [0-9]+ skipped$");
    for (String f : BATS_FILES) {
      assertThat(r.out()).as("bats file %s reported", f).contains("# file " + f + ": ");
    }
  }

  @Test
  void containerdCtrRunsEveryLifecycleStep() throws Exception {
    Result r = runClient("containerd", List.of(script("containerd.sh")), 600);
    assertThat(r.out()).containsPattern("(?m)^2[0-9] passed, 0 failed$");
  }

  @Test
  void podmanRunsEveryLifecycleStep() throws Exception {
    Result r = runClient("podman", List.of(script("podman.sh")), 600);
    assertThat(r.out()).containsPattern("(?m)^2[0-9] passed, 0 failed$");
  }

  @Test
  void dockerdRunsEveryLifecycleStep() throws Exception {
    Result r = runClient("dockerd", List.of(script("dockerd.sh")), 600);
    assertThat(r.out()).containsPattern("(?m)^2[0-9] passed, 0 failed$");
  }

  /** Runs one client script against dist/bin/runhcs; asserts exit 0 and that it left nothing. */
  private static Result runClient(String name, List<String> cmd, long timeoutSeconds)
      throws Exception {
    Set<String> before = leftovers();
    Result r = run(name, cmd, timeoutSeconds);
    assertThat(r.code()).as("%s exit code (output above)", name).isZero();
    assertThat(r.out()).doesNotContain("not ok ");
    Poll.until(
        name + " to leave no daemons, cgroups or mounts behind",
        Poll.DEFAULT,
        () -> before.containsAll(leftovers()),
        () -> "new: " + difference(leftovers(), before));
    return r;
  }

  /**
   * Runs {@code cmd} with stdin from /dev/null and output in a file, printed afterwards. On timeout
   * the script gets SIGTERM first, so that its EXIT trap still stops its daemons.
   */
  private static Result run(String name, List<String> cmd, long timeoutSeconds) throws Exception {
    File log = temp.resolve(name + ".log").toFile();
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .directory(repo().toFile())
            .redirectInput(new File("/dev/null"))
            .redirectErrorStream(true)
            .redirectOutput(log);
    Map<String, String> env = pb.environment();
    env.put("RUNTIME", Cli.dist().resolve("bin/runhcs").toString());
    env.put("CI", "true");
    long t0 = System.nanoTime();
    Process p = pb.start();
    boolean done = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
    if (!done) {
      p.destroy();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor();
      }
    }
    String out = Files.readString(log.toPath());
    long secs = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0);
    System.out.printf(
        "==== %s: %s (exit %d, %d s)%n%s%n",
        name, String.join(" ", pb.command()), p.exitValue(), secs, out);
    assertThat(done).as("%s finished within %d s", name, timeoutSeconds).isTrue();
    return new Result(p.exitValue(), out);
  }

  /**
   * What the scripts could leave on the host: their cgroups (private parents silotck&lt;pid&gt;,
   * runc's test cgroups, podman's libpod_parent), mounts under a temp dir, named network
   * namespaces, and the client daemons.
   */
  static Set<String> leftovers() {
    try {
      return leftoversOrThrow();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Set<String> leftoversOrThrow() throws IOException {
    Set<String> s = new TreeSet<>();
    try (Stream<Path> ctrls = Files.list(Path.of("/sys/fs/cgroup"))) {
      for (Path c : ctrls.toList()) {
        if (!Files.isDirectory(c)) {
          continue;
        }
        try (Stream<Path> dirs = Files.list(c)) {
          dirs.map(d -> d.getFileName().toString())
              .filter(
                  n ->
                      n.startsWith("silotck")
                          || n.equals("libpod_parent")
                          || n.equals("runc-cgroups-integration-test"))
              .forEach(n -> s.add("cgroup " + c.getFileName() + "/" + n));
        }
      }
    }
    for (String line : Files.readAllLines(Path.of("/proc/self/mounts"))) {
      String[] f = line.split(" ");
      if (f.length > 1 && f[1].startsWith("/tmp/tmp.")) {
        s.add("mount " + f[1]);
      }
    }
    Path netns = Path.of("/run/netns");
    if (Files.isDirectory(netns)) {
      try (Stream<Path> ns = Files.list(netns)) {
        ns.forEach(n -> s.add("netns " + n.getFileName()));
      }
    }
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path p : procs.filter(p -> p.getFileName().toString().matches("[0-9]+")).toList()) {
        try {
          String comm = Files.readString(p.resolve("comm")).strip();
          if (CLIENT_PROCESSES.contains(comm)) {
            s.add("process " + p.getFileName() + " " + comm);
          }
        } catch (IOException e) {
          // exited while we looked
        }
      }
    }
    return s;
  }

  private static Set<String> difference(Set<String> now, Set<String> before) {
    Set<String> d = new TreeSet<>(now);
    d.removeAll(before);
    return d;
  }

  private static String script(String name) {
    return repo().resolve("silo-tck/src/test/clients").resolve(name).toString();
  }

  private static Path repo() {
    return Cli.repo();
  }

  private static long uid() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("Uid:")) {
        return Long.parseLong(line.split("\\s+")[1]);
      }
    }
    throw new IOException("no Uid line in /proc/self/status");
  }

  /** A script's exit code and combined output. */
  record Result(int code, String out) {}
}
