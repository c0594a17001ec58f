package dev.silo.init;

import static dev.silo.init.Rootfs.ALL_NS;
import static dev.silo.init.Rootfs.ENV;
import static dev.silo.init.Rootfs.deleteTree;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The hardening and alternative steps on a real kernel: user namespace, masks, chroot, seccomp,
 * rlimits.
 */
class PlanStepsIT {
  private static Path base;
  private static Path rootfs;
  private static SiloInit init;

  private Path out;

  @BeforeAll
  static void buildRootfs() throws Exception {
    init = SiloInit.locate();
    base = Files.createTempDirectory("silo-steps-it");
    Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
    rootfs = Rootfs.build(base.resolve("rootfs"));
    Files.createDirectories(rootfs.resolve("opt/secret"));
    Files.writeString(rootfs.resolve("opt/secret/key"), "hidden");
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

  /**
   * Runs {@code script} in the foreground after {@code plan}'s steps and returns the helper's
   * status.
   */
  private int run(Plan.Builder plan, String script) throws InitException {
    try (InitProcess p =
        init.start(
            plan.foreground(true).ready().exec("sh", List.of("sh", "-c", script), ENV).build())) {
      p.awaitReady();
      return p.waitHelper();
    }
  }

  private Plan.Builder pivoted(int cloneFlags) {
    return Rootfs.container(Plan.builder(), cloneFlags, rootfs, out).pivotRoot(rootfs.toString());
  }

  private String read(String name) throws IOException {
    return Files.readString(out.resolve(name)).strip();
  }

  @Test
  void userNamespaceMapsRootToAnUnprivilegedRange() throws Exception {
    // as for a userns-remapped image: the rootfs belongs to the mapped root
    Process chown =
        new ProcessBuilder("chown", "-R", "100000:100000", rootfs.toString()).inheritIO().start();
    assertThat(chown.waitFor()).isZero();
    int status =
        run(
            pivoted(ALL_NS | Namespaces.CLONE_NEWUSER),
            "id -u > /out/uid; cat /proc/self/uid_map > /out/uid_map; cat /proc/self/setgroups > /out/setgroups; "
                + "touch /out/made");

    assertThat(status).isZero();
    assertThat(read("uid")).isEqualTo("0");
    assertThat(read("uid_map").split("\\s+")).containsExactly("0", "100000", "65536");
    assertThat(read("setgroups")).isEqualTo("deny");
    assertThat(Files.getAttribute(out.resolve("made"), "unix:uid"))
        .as("host uid of a file made as root")
        .isEqualTo(100000);
  }

  @Test
  void masksAndReadonlyPaths() throws Exception {
    Plan.Builder plan =
        pivoted(ALL_NS)
            .maskPath("/proc/keys")
            .maskPath("/opt/secret")
            .maskPath("/no/such/path")
            .readonlyPath("/proc/sys")
            .readonlyPath("/no/such/dir");
    int status =
        run(
            plan,
            "[ -c /proc/keys ] && echo masked > /out/keys; ls -A /opt/secret | wc -l > /out/secret; "
                + "touch /opt/secret/x 2> /out/secret.err; { echo x > /proc/sys/kernel/domainname; } 2> /out/sys.err; true");

    assertThat(status).isZero();
    assertThat(read("keys")).isEqualTo("masked");
    assertThat(read("secret")).isEqualTo("0");
    assertThat(read("secret.err")).contains("Read-only file system");
    assertThat(read("sys.err")).contains("Read-only file system");
    assertThat(rootfs.resolve("opt/secret/key")).hasContent("hidden");
  }

  @Test
  void chrootMoveWithoutPivotRoot() throws Exception {
    Plan.Builder plan =
        Rootfs.container(Plan.builder(), ALL_NS, rootfs, out).chrootMove(rootfs.toString());
    int status = run(plan, "ls / > /out/root; echo $$ > /out/pid");

    assertThat(status).isZero();
    assertThat(read("root").lines()).contains("bin", "proc", "out");
    assertThat(read("pid")).isEqualTo("1");
  }

  @Test
  void rlimitsWriteFileUmaskChdirAndSeccomp() throws Exception {
    Plan.Builder plan =
        pivoted(ALL_NS)
            .setrlimit(7, 1024, 2048)
            .writeFile("/proc/self/oom_score_adj", "500")
            .umask(077)
            .chdir("/tmp")
            .noNewPrivs()
            .seccomp(0, denyMkdir());
    int status =
        run(
            plan,
            "ulimit -Sn > /out/soft; ulimit -Hn > /out/hard; cat /proc/self/oom_score_adj > /out/oom; "
                + "pwd > /out/pwd; umask > /out/umask; mkdir /tmp/d 2> /out/mkdir.err; echo $? > /out/mkdir.rc");

    assertThat(status).isZero();
    assertThat(read("soft")).isEqualTo("1024");
    assertThat(read("hard")).isEqualTo("2048");
    assertThat(read("oom")).isEqualTo("500");
    assertThat(read("pwd")).isEqualTo("/tmp");
    assertThat(read("umask")).isEqualTo("0077");
    assertThat(read("mkdir.rc")).isNotEqualTo("0");
    assertThat(read("mkdir.err")).contains("Operation not permitted");
  }

  @Test
  void execOfAMissingCommandIsAnErrorOfTheExecStep() throws Exception {
    Plan plan = pivoted(ALL_NS).exec("no-such-command", List.of("no-such-command"), ENV).build();
    try (InitProcess p = init.start(plan)) {
      assertThatThrownBy(p::awaitReady)
          .isInstanceOfSatisfying(
              InitException.class,
              e -> {
                assertThat(e.step()).isEqualTo(plan.size() - 1);
                assertThat(e)
                    .hasMessage(
                        "exec(no-such-command): ENOENT (No such file or directory): "
                            + "exec no-such-command: not found in $PATH");
              });
      assertThat(p.waitHelper()).isEqualTo(1);
    }
  }

  @Test
  void execJoinsTheNamespacesOfARunningContainer() throws Exception {
    Plan sleeper =
        pivoted(ALL_NS)
            .foreground(true)
            .ready()
            .exec("sh", List.of("sh", "-c", "touch /out/up; exec sleep 100"), ENV)
            .build();
    try (InitProcess first = init.start(sleeper)) {
      int pid = first.awaitPid();
      first.awaitReady();
      Rootfs.poll(() -> Files.exists(out.resolve("up")), "first container up");
      Plan.Builder exec = Plan.builder();
      String[] names = {"ipc", "uts", "net", "pid", "mnt"};
      int[] types = {
        Namespaces.CLONE_NEWIPC,
        Namespaces.CLONE_NEWUTS,
        Namespaces.CLONE_NEWNET,
        Namespaces.CLONE_NEWPID,
        Namespaces.CLONE_NEWNS
      };
      for (int i = 0; i < names.length; i++) {
        exec.joinNamespace(types[i], "/proc/" + pid + "/ns/" + names[i]);
      }
      try {
        int status =
            run(
                exec.chdir("/"),
                "echo $$ > /out/exec-pid; hostname > /out/exec-host; "
                    + "ls /proc | grep -c '^[0-9]' > /out/procs");
        assertThat(status).isZero();
        assertThat(Integer.parseInt(read("exec-pid")))
            .as("a new pid in the container's pid namespace")
            .isGreaterThan(1);
        assertThat(read("exec-host")).isEqualTo("silo-it");
        assertThat(Integer.parseInt(read("procs"))).as("sleep, sh, ls, grep").isBetween(2, 6);
      } finally {
        SiloInit.kill(pid, 9);
        assertThat(first.waitHelper()).isEqualTo(128 + 9);
      }
    }
  }

  @Test
  void joinsACgroupBeforeTheClone() throws Exception {
    Path cgroup = Path.of("/sys/fs/cgroup/pids/silo-init-it-" + ProcessHandle.current().pid());
    Files.createDirectory(cgroup);
    try {
      Plan.Builder plan =
          Rootfs.container(
                  Plan.builder().joinCgroup(cgroup.resolve("cgroup.procs").toString()),
                  ALL_NS,
                  rootfs,
                  out)
              .pivotRoot(rootfs.toString());
      assertThat(run(plan, "cat /proc/self/cgroup > /out/cgroup")).isZero();
      assertThat(read("cgroup").lines())
          .anyMatch(l -> l.matches("\\d+:pids:/" + cgroup.getFileName()));
    } finally {
      Files.delete(cgroup); // rmdir: empty once the helper and the container are gone
    }
  }

  @Test
  void parentStepFailsBeforeAnyPid() throws Exception {
    Plan plan =
        Plan.builder()
            .joinNamespace(Namespaces.CLONE_NEWNET, "/run/netns/silo-no-such-ns")
            .cloneNamespaces(Namespaces.CLONE_NEWNS)
            .exec("/bin/true", List.of("true"), ENV)
            .build();
    try (InitProcess p = init.start(plan)) {
      assertThatThrownBy(p::awaitPid)
          .isInstanceOfSatisfying(
              InitException.class,
              e -> {
                assertThat(e.step()).isZero();
                assertThat(e)
                    .hasMessage(
                        "setns(net, /run/netns/silo-no-such-ns): ENOENT (No such file or directory)");
              });
      assertThat(p.waitHelper()).isEqualTo(1);
    }
  }

  @Test
  void helperExitingWithoutReadyIsReportedWithItsStatus() throws Exception {
    Plan plan =
        pivoted(ALL_NS).exec("true", List.of("true"), ENV).build(); // detached, no READY step
    try (InitProcess p = init.start(plan)) {
      p.awaitPid();
      assertThatThrownBy(p::awaitReady)
          .isInstanceOf(InitException.class)
          .hasMessage("silo-init exited with status 0 before the container was ready");
    }
  }

  /** x86-64 classic BPF: mkdir and mkdirat fail with EPERM, everything else is allowed. */
  private static byte[] denyMkdir() {
    int ldAbs = 0x20, jeq = 0x15, ret = 0x06;
    int[][] insns = {
      {ldAbs, 0, 0, 4}, // seccomp_data.arch
      {jeq, 0, 3, 0xc000003e}, // AUDIT_ARCH_X86_64, else allow
      {ldAbs, 0, 0, 0}, // seccomp_data.nr
      {jeq, 2, 0, 83}, // mkdir
      {jeq, 1, 0, 258}, // mkdirat
      {ret, 0, 0, 0x7fff0000}, // SECCOMP_RET_ALLOW
      {ret, 0, 0, 0x00050000 | 1}, // SECCOMP_RET_ERRNO | EPERM
    };
    ByteBuffer b = ByteBuffer.allocate(insns.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    for (int[] i : insns) {
      b.putShort((short) i[0]).put((byte) i[1]).put((byte) i[2]).putInt(i[3]);
    }
    return b.array();
  }
}
