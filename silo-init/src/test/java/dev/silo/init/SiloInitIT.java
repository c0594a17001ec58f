package dev.silo.init;

import static dev.silo.init.MountFlags.MS_BIND;
import static dev.silo.init.MountFlags.MS_NOEXEC;
import static dev.silo.init.MountFlags.MS_NOSUID;
import static dev.silo.init.MountFlags.OPT_MKDIR;
import static dev.silo.init.Rootfs.ALL_NS;
import static dev.silo.init.Rootfs.ENV;
import static dev.silo.init.Rootfs.ESRCH;
import static dev.silo.init.Rootfs.TIMEOUT;
import static dev.silo.init.Rootfs.deleteTree;
import static dev.silo.init.Rootfs.gone;
import static dev.silo.init.Rootfs.poll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Runs real plans through silo-init as root: namespaces, pivot_root, devices, caps, fifo, console.
 */
class SiloInitIT {
  private static Path base;
  private static Path rootfs;
  private static SiloInit init;

  private Path out;
  private final List<Integer> containerPids = new ArrayList<>();

  @BeforeAll
  static void buildRootfs() throws Exception {
    init = SiloInit.locate();
    base = Files.createTempDirectory("silo-init-it");
    rootfs = Rootfs.build(base.resolve("rootfs"));
  }

  @AfterAll
  static void removeRootfs() throws IOException {
    if (base != null) {
      deleteTree(base);
    }
  }

  @BeforeEach
  void makeOutDir() throws IOException {
    out = Files.createTempDirectory(base, "out");
    Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rwxrwxrwx"));
  }

  @AfterEach
  void killLeftovers() throws IOException {
    Path ourPidNs = Files.readSymbolicLink(Path.of("/proc/self/ns/pid"));
    for (int pid : containerPids) {
      // a pid may have been reused by then: only kill what still lives in another pid namespace
      try {
        if (!gone(pid)
            && !Files.readSymbolicLink(Path.of("/proc/" + pid + "/ns/pid")).equals(ourPidNs)) {
          SiloInit.kill(pid, 9);
        }
      } catch (IOException e) {
        continue; // exited meanwhile
      }
      poll(() -> gone(pid), "container " + pid + " gone");
    }
  }

  private Plan.Builder container(boolean foreground) {
    return container(Plan.builder().foreground(foreground));
  }

  private Plan.Builder container(Plan.Builder parentSteps) {
    return Rootfs.container(parentSteps, ALL_NS, rootfs, out);
  }

  private InitProcess start(Plan plan) throws InitException {
    InitProcess p = init.start(plan);
    containerPids.add(p.awaitPid());
    return p;
  }

  @Test
  void runsShellAsPid1InNewNamespacesAfterPivotRoot() throws Exception {
    Plan plan =
        container(true)
            .pivotRoot(rootfs.toString())
            .chdir("/")
            .ready()
            .exec(
                "sh",
                List.of(
                    "sh",
                    "-c",
                    "echo $$ > /out/pid; hostname > /out/hostname; "
                        + "for d in null zero full random urandom tty; do [ -c /dev/$d ] && echo $d; done > /out/dev; "
                        + "ls / > /out/root; head -c 4 /dev/zero | od -An -tx1 > /out/zero"),
                ENV)
            .build();

    try (InitProcess p = start(plan)) {
      p.awaitReady();
      assertThat(p.waitHelper()).isZero();
    }

    assertThat(read("pid")).isEqualTo("1");
    assertThat(read("hostname")).isEqualTo("silo-it");
    assertThat(read("dev").lines())
        .containsExactly("null", "zero", "full", "random", "urandom", "tty");
    assertThat(read("root").lines()).contains("bin", "dev", "proc", "out").doesNotContain("rootfs");
    assertThat(read("zero")).isEqualTo("00 00 00 00");
  }

  @Test
  void execFifoSplitsCreateFromStart() throws Exception {
    Path state = Files.createTempDirectory(base, "state");
    Plan.Builder parentSteps =
        Plan.builder()
            .mkfifo(state.resolve("exec.fifo").toString(), 0622)
            .stateDir(state.toString());
    Plan plan =
        container(parentSteps)
            .pivotRoot(rootfs.toString())
            .execFifoWait("exec.fifo")
            .exec("/bin/sh", List.of("sh", "-c", "echo started > /out/started"), ENV)
            .build();

    int pid;
    try (InitProcess p = start(plan)) {
      pid = p.awaitPid();
      p.awaitReady();
      assertThat(p.waitHelper()).as("detached helper exits 0").isZero();
    }
    assertThat(SiloInit.kill(pid, 0)).as("container blocked on the fifo").isZero();
    assertThat(out.resolve("started")).doesNotExist();

    try (InputStream fifo = Files.newInputStream(state.resolve("exec.fifo"))) {
      assertThat(fifo.read()).isZero();
    }
    poll(() -> Files.exists(out.resolve("started")), "container ran after start");
    poll(() -> gone(pid), "container exited");
  }

  @Test
  void failingStepIsReportedByNameAndErrnoAndLeavesNoProcess() throws Exception {
    String target = rootfs + "/mnt/missing";
    Plan plan =
        container(true)
            .mount("/nonexistent-silo-source", target, null, MS_BIND, null, OPT_MKDIR)
            .pivotRoot(rootfs.toString())
            .ready()
            .exec("/bin/true", List.of("true"), ENV)
            .build();
    int failing = plan.size() - 4;
    assertThat(plan.describe(failing))
        .isEqualTo("mount(/nonexistent-silo-source → " + target + ")");

    try (InitProcess p = init.start(plan)) {
      int pid = p.awaitPid();
      assertThatThrownBy(p::awaitReady)
          .isInstanceOfSatisfying(
              InitException.class,
              e -> {
                assertThat(e.step()).isEqualTo(failing);
                assertThat(e.errnoName()).isEqualTo("ENOENT");
                assertThat(e.getMessage())
                    .startsWith("mount(/nonexistent-silo-source → " + target + "): ENOENT");
              });
      assertThat(p.waitHelper()).isEqualTo(1);
      assertThat(SiloInit.kill(pid, 0)).as("container process reaped").isEqualTo(-ESRCH);
    }
  }

  @Test
  void dropsCapabilitiesAndSetsNoNewPrivs() throws Exception {
    long netBindService = 1L << 10;
    Plan plan =
        container(true)
            .pivotRoot(rootfs.toString())
            .setgroups(new int[] {1000})
            .setIds(1000, 1000)
            .caps(netBindService, netBindService, netBindService, netBindService, netBindService)
            .noNewPrivs()
            .ready()
            .exec(
                "sh",
                List.of(
                    "sh",
                    "-c",
                    "grep -E '^(Uid|Gid|Groups|CapEff|CapBnd|CapAmb|NoNewPrivs):' "
                        + "/proc/self/status > /out/status"),
                ENV)
            .build();

    try (InitProcess p = start(plan)) {
      p.awaitReady();
      assertThat(p.waitHelper()).isZero();
    }

    assertThat(read("status").lines().map(l -> l.replaceAll("\\s+", " ").strip()))
        .contains(
            "Uid: 1000 1000 1000 1000",
            "Gid: 1000 1000 1000 1000",
            "Groups: 1000",
            "CapEff: 0000000000000400",
            "CapBnd: 0000000000000400",
            "CapAmb: 0000000000000400",
            "NoNewPrivs: 1");
  }

  @Test
  void foregroundExitsWithTheContainersStatus() throws Exception {
    Plan exit7 =
        container(true)
            .pivotRoot(rootfs.toString())
            .ready()
            .exec("sh", List.of("sh", "-c", "exit 7"), ENV)
            .build();
    try (InitProcess p = start(exit7)) {
      p.awaitReady();
      assertThat(p.waitHelper()).isEqualTo(7);
    }

    Plan sleeper =
        container(true)
            .pivotRoot(rootfs.toString())
            .ready()
            .exec("sleep", List.of("sleep", "100"), ENV)
            .build();
    try (InitProcess p = start(sleeper)) {
      p.awaitReady();
      assertThat(SiloInit.kill(p.awaitPid(), 9)).isZero();
      assertThat(p.waitHelper()).isEqualTo(128 + 9);
    }
  }

  @Test
  void foregroundForwardsSignalsToTheContainer() throws Exception {
    Plan plan =
        container(true)
            .pivotRoot(rootfs.toString())
            .ready()
            .exec(
                "sh",
                List.of(
                    "sh",
                    "-c",
                    "trap 'exit 42' TERM; touch /out/trapped; while :; do sleep 1; done"),
                ENV)
            .build();
    try (InitProcess p = start(plan)) {
      p.awaitReady();
      poll(() -> Files.exists(out.resolve("trapped")), "trap installed");
      assertThat(SiloInit.kill(p.helperPid(), 15)).isZero();
      assertThat(p.waitHelper()).isEqualTo(42);
    }
  }

  @Test
  void consoleSocketReceivesThePtyMaster() throws Exception {
    Path recv =
        Path.of(System.getProperty("silo.init.helper", "")).resolveSibling("silo-console-recv");
    Path socket = base.resolve("console-" + System.nanoTime() + ".sock");
    Process receiver =
        new ProcessBuilder(recv.toString(), socket.toString()).redirectErrorStream(true).start();
    try {
      poll(() -> Files.exists(socket), "console socket listening");
      String r = rootfs.toString();
      Plan plan =
          container(true)
              .consoleConnect(socket.toString())
              .mount(
                  "devpts",
                  r + "/dev/pts",
                  "devpts",
                  MS_NOSUID | MS_NOEXEC,
                  "newinstance,ptmxmode=0666,mode=0620",
                  OPT_MKDIR)
              .symlink("pts/ptmx", r + "/dev/ptmx")
              .pivotRoot(r)
              .consoleSetup()
              .ready()
              .exec("sh", List.of("sh", "-c", "tty; [ -t 0 ] && [ -t 1 ] && echo console-ok"), ENV)
              .build();
      try (InitProcess p = start(plan)) {
        p.awaitReady();
        assertThat(p.waitHelper()).isZero();
      }
      assertThat(receiver.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS))
          .as("receiver saw the hangup")
          .isTrue();
      String text = new String(receiver.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(text).contains("slave=/dev/pts/0").contains("console-ok");
      assertThat(text.lines().map(String::strip)).contains("/dev/pts/0");
    } finally {
      receiver.destroyForcibly().waitFor();
      Files.deleteIfExists(socket);
    }
  }

  private String read(String name) throws IOException {
    return Files.readString(out.resolve(name)).strip();
  }
}
