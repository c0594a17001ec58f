package dev.silo.tck;

import static dev.silo.tck.Bundles.linux;
import static dev.silo.tck.Bundles.process;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The runc-compatible lifecycle of dist/bin/runhcs, driven as a user drives it, on the real kernel.
 */
class RunhcsLifecycleIT extends ContainerTestSupport {
  /** Traps TERM so that a plain {@code kill} (SIGTERM to a pid-namespace init) ends it. */
  static final String[] TRAPPING = {"sh", "-c", "trap 'exit 0' TERM; sleep 1000 & wait"};

  @Test
  void foregroundRunPrintsOutputAndExitsWithTheProcessCode() {
    String id = newId();
    Cli.Result r =
        cli.runhcs(
            "run",
            "--bundle",
            bundles.bundle(id, "sh", "-c", "echo hello from $(hostname); exit 7").toString(),
            id);
    assertThat(r.code()).as(r.toString()).isEqualTo(7);
    assertThat(r.out()).isEqualTo("hello from runc\n");
    assertThat(cli.root().resolve(id)).as("foreground run deletes its container").doesNotExist();
  }

  @Test
  void foregroundRunOfAProcessKilledBySigkillExitsWith137() {
    // Without a pid namespace the process is no namespace init, so its own SIGKILL really kills it.
    String id = newId();
    Path b =
        bundles.bundle(id, c -> removeNamespace(c, "pid"), "sh", "-c", "kill -9 $$; echo survived");
    Cli.Result r = cli.runhcs("run", "--bundle", b.toString(), id);
    assertThat(r.code()).as(r.toString()).isEqualTo(128 + 9);
    assertThat(r.out()).doesNotContain("survived");
  }

  @Test
  void createStartPauseResumeExecKillDelete() throws IOException {
    String id = newId();
    Path pidFile = temp.resolve(id + ".pid");
    cli.runhcs(
            "create",
            "--bundle",
            bundles.bundle(id, TRAPPING).toString(),
            "--pid-file",
            pidFile.toString(),
            id)
        .ok();
    assertThat(status(id)).isEqualTo("created");
    long pid = pid(id);
    assertThat(Files.readString(pidFile)).isEqualTo(Long.toString(pid));

    cli.runhcs("start", id).ok();
    assertThat(status(id)).isEqualTo("running");
    cli.runhcs("pause", id).ok();
    assertThat(status(id)).isEqualTo("paused");
    assertThat(cli.runhcs("exec", id, "true").failsWithOneLine())
        .contains("cannot exec in a paused container");
    cli.runhcs("resume", id).ok();
    assertThat(status(id)).isEqualTo("running");

    Cli.Result exec = cli.runhcs("exec", id, "sh", "-c", "echo exec-out; exit 3");
    assertThat(exec.code()).as(exec.toString()).isEqualTo(3);
    assertThat(exec.out()).isEqualTo("exec-out\n");
    long execPid = execDetached(id, "sleep", "1000");
    assertThat(psPids(id)).contains(pid, execPid);

    assertListed(id, pid);
    cli.runhcs("kill", id).ok();
    awaitStatus(id, "stopped");
    cli.runhcs("delete", id).ok();
    assertThat(cli.runhcs("state", id).failsWithOneLine()).contains("container does not exist");
    assertDead(execPid);
  }

  @Test
  void killSendsNamedAndNumericSignals() throws IOException {
    String id = newId();
    String marks = "/tmp/" + id;
    String script =
        "trap 'echo usr1 >> "
            + marks
            + "' USR1; trap 'echo usr2 >> "
            + marks
            + "' USR2; "
            + "while :; do sleep 1 & wait; done";
    runDetached(id, bundles.bundle(id, "sh", "-c", script));
    Path marksOnHost = bundles.rootfs().resolve(marks.substring(1));
    cli.runhcs("kill", id, "USR1").ok();
    Poll.until("USR1 trap", () -> read(marksOnHost).contains("usr1"));
    cli.runhcs("kill", id, "SIGUSR2").ok();
    Poll.until("USR2 trap", () -> read(marksOnHost).contains("usr2"));
    assertThat(status(id)).isEqualTo("running");
    cli.runhcs("kill", id, "9").ok();
    awaitStatus(id, "stopped");
    Files.deleteIfExists(marksOnHost);
  }

  @Test
  void deleteForceRemovesARunningContainerAndItsKernelObjects() {
    KernelSnapshot before = snapshot();
    String id = newId();
    long pid = runDetached(id, bundles.bundle(id, "sleep", "1000"));
    KernelSnapshot running = snapshot();
    // The snapshot must see what a container owns, or comparing snapshots would prove nothing.
    assertThat(running.cgroups()).anyMatch(c -> c.endsWith("/" + id));
    assertThat(running.processes()).anyMatch(p -> p.startsWith(pid + " "));
    assertThat(running.stateEntries()).contains(id);
    cli.runhcs("delete", "--force", id).ok();
    assertThat(cli.runhcs("state", id).failsWithOneLine()).contains("container does not exist");
    assertDead(pid);
    assertThat(snapshot()).isEqualTo(before);
  }

  @Test
  void deleteForceOfAnUnknownIdSucceeds() {
    Cli.Result r = cli.runhcs("delete", "--force", prefix + "never-created").ok();
    assertThat(r.err()).isEmpty();
  }

  @Test
  void killAllEndsEveryProcessOfADetachedRun() {
    String id = newId();
    long pid = runDetached(id, bundles.bundle(id, "sh", "-c", "sleep 1000 & sleep 1001 & wait"));
    long execPid = execDetached(id, "sleep", "1002");
    Poll.until("4 processes in " + id, () -> psPids(id).size() >= 4);
    cli.runhcs("kill", "--all", id, "KILL").ok();
    awaitStatus(id, "stopped");
    assertDead(pid);
    assertDead(execPid);
  }

  @Test
  void hostnameUserCwdAndEnvFromExecFlagsAreVisibleInside() {
    String id = newId();
    runDetached(id, bundles.bundle(id, c -> c.put("hostname", "silo-it"), "sleep", "1000"));
    Cli.Result r =
        cli.runhcs(
                "exec",
                "--user",
                "1000:1000",
                "--cwd",
                "/tmp",
                "--env",
                "SILO_IT=yes",
                id,
                "sh",
                "-c",
                "hostname; id -u; id -g; pwd; echo $SILO_IT")
            .ok();
    assertThat(r.out().lines().toList()).containsExactly("silo-it", "1000", "1000", "/tmp", "yes");
  }

  @Test
  void containerEnvironmentIsTheSpecsNotTheCallers() {
    String id = newId();
    Path b =
        bundles.bundle(id, c -> process(c).putArray("env").add("SILO_A=1").add("PATH=/bin"), "env");
    Cli.Result r = cli.runhcs("run", "--bundle", b.toString(), id).ok();
    assertThat(r.out().lines().toList())
        .contains("SILO_A=1", "PATH=/bin")
        .noneMatch(l -> l.startsWith("JAVA_HOME="));
  }

  @Test
  void capabilitiesAndNoNewPrivsMatchTheSpec() {
    String id = newId();
    Path b =
        bundles.bundle(
            id,
            c -> {
              ObjectNode caps = process(c).putObject("capabilities");
              for (String set : List.of("bounding", "effective", "permitted")) {
                caps.putArray(set).add("CAP_CHOWN").add("CAP_KILL").add("CAP_NET_RAW");
              }
              process(c).put("noNewPrivileges", true);
            },
            "grep",
            "-E",
            "^(CapEff|CapBnd|NoNewPrivs):",
            "/proc/self/status");
    Cli.Result r = cli.runhcs("run", "--bundle", b.toString(), id).ok();
    // CAP_CHOWN = 0, CAP_KILL = 5, CAP_NET_RAW = 13
    assertThat(r.out().lines().map(l -> l.replaceAll("\\s+", " ")).toList())
        .containsExactlyInAnyOrder(
            "CapEff: 0000000000002021", "CapBnd: 0000000000002021", "NoNewPrivs: 1");
  }

  @Test
  void readonlyRootRefusesWrites() {
    String id = newId();
    Path b =
        bundles.bundle(
            id,
            c -> ((ObjectNode) c.get("root")).put("readonly", true),
            "sh",
            "-c",
            "touch /" + id + " 2>&1; echo rc=$?");
    Cli.Result r = cli.runhcs("run", "--bundle", b.toString(), id).ok();
    assertThat(r.out()).contains("Read-only file system").contains("rc=1");
    assertThat(bundles.rootfs().resolve(id)).doesNotExist();
  }

  @Test
  void maskedPathsAreMasked() {
    // Only paths the host kernel has can be masked (this host's kernel, for one, has no
    // /proc/kcore).
    List<String> masked = new ArrayList<>();
    bundles.template().get("linux").get("maskedPaths").forEach(n -> masked.add(n.asText()));
    assertThat(masked).contains("/proc/kcore", "/proc/keys", "/sys/firmware");
    StringBuilder script = new StringBuilder();
    List<String> expected = new ArrayList<>();
    for (String p : masked) {
      Path host = Path.of(p);
      if (Files.isDirectory(host)) {
        script
            .append("[ -d ")
            .append(p)
            .append(" ] && [ -z \"$(ls -A ")
            .append(p)
            .append(")\" ] && echo ")
            .append(p)
            .append(":empty; ");
        expected.add(p + ":empty");
      } else if (Files.exists(host)) {
        script
            .append("[ -c ")
            .append(p)
            .append(" ] && [ -z \"$(cat ")
            .append(p)
            .append(")\" ] && echo ")
            .append(p)
            .append(":null; ");
        expected.add(p + ":null");
      }
    }
    assertThat(expected).as("masked paths present on this host").isNotEmpty();
    String id = newId();
    Cli.Result r =
        cli.runhcs(
                "run", "--bundle", bundles.bundle(id, "sh", "-c", script + "true").toString(), id)
            .ok();
    assertThat(r.out().lines().toList()).containsExactlyElementsOf(expected);
  }

  @Test
  void resourceLimitsAreVisibleInsideTheContainersCgroups() {
    String id = newId();
    Path b =
        bundles.bundle(
            id,
            c -> {
              ObjectNode res = linux(c).putObject("resources");
              res.putObject("memory").put("limit", 64L << 20);
              res.putObject("cpu").put("quota", 50_000).put("period", 100_000);
              res.putObject("pids").put("limit", 64);
            },
            "cat",
            "/sys/fs/cgroup/memory/memory.limit_in_bytes",
            "/sys/fs/cgroup/cpu/cpu.cfs_quota_us",
            "/sys/fs/cgroup/cpu/cpu.cfs_period_us",
            "/sys/fs/cgroup/pids/pids.max");
    Cli.Result r = cli.runhcs("run", "--bundle", b.toString(), id).ok();
    assertThat(r.out().lines().toList())
        .containsExactly(Long.toString(64L << 20), "50000", "100000", "64");
  }

  @Test
  void seccompProfileDeniesMkdirWithEperm() {
    String id = newId();
    Path b =
        bundles.bundle(
            id,
            c -> {
              ObjectNode sc = linux(c).putObject("seccomp");
              sc.put("defaultAction", "SCMP_ACT_ALLOW");
              sc.putArray("architectures").add("SCMP_ARCH_X86_64");
              ObjectNode rule = sc.putArray("syscalls").addObject();
              rule.putArray("names").add("mkdir").add("mkdirat");
              rule.put("action", "SCMP_ACT_ERRNO").put("errnoRet", 1);
            },
            "sh",
            "-c",
            "mkdir /tmp/" + id + " 2>&1; echo rc=$?; touch /tmp/" + id + ".f && echo touched");
    Cli.Result r = cli.runhcs("run", "--bundle", b.toString(), id).ok();
    assertThat(r.out()).contains("Operation not permitted").contains("rc=1").contains("touched");
    assertThat(bundles.rootfs().resolve("tmp/" + id)).doesNotExist();
  }

  @Test
  void logJsonRecordsTheErrorAndDebugIsAccepted() throws IOException {
    Path log = temp.resolve(prefix + "log.json");
    String missing = prefix + "missing";
    Cli.Result r = cli.runhcs("--log", log.toString(), "--log-format", "json", "state", missing);
    assertThat(r.failsWithOneLine()).contains("container does not exist");
    List<JsonNode> errors = new ArrayList<>();
    for (String line : Files.readAllLines(log)) {
      JsonNode n = Bundles.JSON.readTree(line);
      if ("error".equals(n.path("level").asText())) {
        errors.add(n);
      }
    }
    assertThat(errors).hasSize(1);
    assertThat(errors.get(0).get("msg").asText()).contains("container does not exist");
    assertThat(errors.get(0).has("time")).isTrue();

    String id = newId();
    runDetached(id, bundles.bundle(id, "sleep", "1000"));
    assertThat(cli.runhcs("--debug", "state", id).ok().out()).contains("\"running\"");
  }

  /** {@code exec -d --pid-file}; returns the pid written there. */
  static long execDetached(String id, String... args) {
    Path pidFile = temp.resolve(id + "-exec-" + System.nanoTime() + ".pid");
    List<String> cmd = new ArrayList<>(List.of("exec", "-d", "--pid-file", pidFile.toString(), id));
    cmd.addAll(List.of(args));
    cli.runhcs(cmd.toArray(String[]::new)).ok();
    return Long.parseLong(read(pidFile).trim());
  }

  /** {@code ps --format json}'s pids. */
  static List<Long> psPids(String id) {
    try {
      List<Long> pids = new ArrayList<>();
      Bundles.JSON
          .readTree(cli.runhcs("ps", "--format", "json", id).ok().out())
          .forEach(n -> pids.add(n.asLong()));
      return pids;
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static void assertListed(String id, long pid) throws IOException {
    List<String> table = cli.runhcs("list").ok().out().lines().toList();
    assertThat(List.of(table.get(0).trim().split("\\s+")))
        .containsExactly("ID", "PID", "STATUS", "BUNDLE", "CREATED", "OWNER");
    assertThat(table)
        .anyMatch(
            l -> l.startsWith(id + " ") && l.contains(" " + pid + " ") && l.contains("running"));
    assertThat(cli.runhcs("list", "-q").ok().out().lines().toList()).contains(id);
    JsonNode all = Bundles.JSON.readTree(cli.runhcs("list", "--format", "json").ok().out());
    List<JsonNode> mine = new ArrayList<>();
    all.forEach(
        n -> {
          if (id.equals(n.path("id").asText())) {
            mine.add(n);
          }
        });
    assertThat(mine).hasSize(1);
    assertThat(mine.get(0).get("pid").asLong()).isEqualTo(pid);
    assertThat(mine.get(0).get("status").asText()).isEqualTo("running");
  }

  private static void removeNamespace(ObjectNode config, String type) {
    ArrayNode ns = (ArrayNode) linux(config).get("namespaces");
    for (int i = ns.size() - 1; i >= 0; i--) {
      if (type.equals(ns.get(i).path("type").asText())) {
        ns.remove(i);
      }
    }
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file) : "";
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
