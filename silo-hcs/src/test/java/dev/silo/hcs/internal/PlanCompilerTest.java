package dev.silo.hcs.internal;

import static dev.silo.hcs.internal.SpecJson.list;
import static dev.silo.hcs.internal.SpecJson.obj;
import static dev.silo.hcs.internal.SpecJson.object;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.silo.init.Plan;
import dev.silo.schema.oci.Spec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** The init plan of runc's default spec, step by step, and the order rules around it. */
class PlanCompilerTest extends PlanFixture {
  static final String CONSOLE = "/run/console.sock";
  static final Path MEMORY = Path.of("/sys/fs/cgroup/memory");
  static final Path MEMORY_DIR = MEMORY.resolve("silo/c1");
  static final List<Path> PROCS =
      List.of(
          MEMORY_DIR.resolve("cgroup.procs"),
          Path.of("/sys/fs/cgroup/unified/silo/c1/cgroup.procs"));

  /** runc's default spec with root.path pointing at the temp rootfs. */
  Spec defaultSpec() {
    return edit(j -> {});
  }

  // NullAway misses the type-use @Nullable of a byte[] record component read from a class file.
  @SuppressWarnings("NullAway")
  PlanInput input(Spec spec, @Nullable String console, boolean noPivot, byte @Nullable [] seccomp) {
    return new PlanInput(
        spec,
        bundle,
        rootfs,
        state,
        console,
        noPivot,
        0,
        false,
        PROCS,
        Map.of(MEMORY, MEMORY_DIR),
        seccomp,
        0,
        40,
        List.of());
  }

  DecodedPlan compile(Spec spec) throws PlanException {
    return DecodedPlan.of(PlanCompiler.compileInit(input(spec, CONSOLE, false, null)));
  }

  @Test
  void defaultSpecCompilesToRuncsOrderOfSteps() throws PlanException {
    List<String> expected =
        new ArrayList<>(
            List.of(
                "open_state_dir(" + state + ")",
                "mkfifo(" + state + "/exec.fifo)",
                "join_cgroup(" + PROCS.get(0) + ")",
                "join_cgroup(" + PROCS.get(1) + ")",
                "clone(mnt|uts|ipc|pid|net)",
                "console_connect(" + CONSOLE + ")",
                "set_propagation(/)",
                "mount(" + r + " → " + r + ")",
                "mount(proc → " + r + "/proc)",
                "mount(tmpfs → " + r + "/dev)",
                "mount(devpts → " + r + "/dev/pts)",
                "mount(shm → " + r + "/dev/shm)",
                "mount(mqueue → " + r + "/dev/mqueue)",
                "mount(sysfs → " + r + "/sys)",
                "mount(tmpfs → " + r + "/sys/fs/cgroup)",
                "mount(" + MEMORY_DIR + " → " + r + "/sys/fs/cgroup/memory)",
                "mount(none → " + r + "/sys/fs/cgroup)"));
    for (String dev : List.of("null", "zero", "full", "random", "urandom", "tty")) {
      expected.add("mknod(" + r + "/dev/" + dev + ")");
    }
    expected.addAll(
        List.of(
            "symlink(" + r + "/dev/fd → /proc/self/fd)",
            "symlink(" + r + "/dev/stdin → /proc/self/fd/0)",
            "symlink(" + r + "/dev/stdout → /proc/self/fd/1)",
            "symlink(" + r + "/dev/stderr → /proc/self/fd/2)",
            "symlink(" + r + "/dev/ptmx → pts/ptmx)",
            "pivot_root(" + r + ")",
            "sethostname(runc)"));
    for (String p :
        List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger")) {
      expected.add("readonly_path(" + p + ")");
    }
    for (String p :
        List.of(
            "/proc/acpi",
            "/proc/asound",
            "/proc/kcore",
            "/proc/keys",
            "/proc/latency_stats",
            "/proc/timer_list",
            "/proc/timer_stats",
            "/proc/sched_debug",
            "/sys/firmware",
            "/proc/scsi")) {
      expected.add("mask_path(" + p + ")");
    }
    expected.addAll(
        List.of(
            "mount(none → /)",
            "console_setup()",
            "fchown(0, 0, -1)",
            "setrlimit(RLIMIT_NOFILE)",
            "setgroups()",
            "setids(0, 0)",
            "capabilities()",
            "umask(022)",
            "chdir(/)",
            "no_new_privs()",
            "close_fds(0)",
            "exec_fifo_wait(exec.fifo)",
            "exec(sh)"));

    assertThat(compile(defaultSpec()).descriptions()).containsExactlyElementsOf(expected);
  }

  @Test
  void rootIsMadeRslaveAndBoundOntoItselfForPivotRoot() throws PlanException {
    DecodedPlan plan = compile(defaultSpec());

    DecodedPlan.Reader prop = plan.withOp(DecodedPlan.SET_PROPAGATION).getFirst().reader();
    assertThat(prop.str()).isEqualTo("/");
    assertThat(prop.u64()).isEqualTo(MountOptions.MS_SLAVE | MountOptions.MS_REC);
    assertThat(plan.mountsOn(r))
        .containsExactly(
            new DecodedPlan.MountStep(r, r, "", MountOptions.MS_BIND | MountOptions.MS_REC, "", 0));
  }

  @Test
  void rootfsPropagationOfTheSpecReplacesRslave() throws PlanException {
    DecodedPlan plan = compile(edit(j -> object(j, "linux").put("rootfsPropagation", "rprivate")));

    DecodedPlan.Reader prop = plan.withOp(DecodedPlan.SET_PROPAGATION).getFirst().reader();
    assertThat(prop.str()).isEqualTo("/");
    assertThat(prop.u64()).isEqualTo(MountOptions.MS_PRIVATE | MountOptions.MS_REC);
  }

  @Test
  void readonlyRootIsRemountedAfterMaskedPathsAndWritableRootIsNot() throws PlanException {
    DecodedPlan ro = compile(defaultSpec());
    assertThat(ro.mountsOn("/"))
        .containsExactly(
            new DecodedPlan.MountStep(
                "",
                "/",
                "",
                MountOptions.MS_REMOUNT | MountOptions.MS_BIND | MountOptions.MS_RDONLY,
                "",
                0));
    assertThat(ro.indexOf("mount(none → /)")).isGreaterThan(ro.indexOf("mask_path(/proc/scsi)"));

    DecodedPlan rw = compile(edit(j -> object(j, "root").put("readonly", false)));
    assertThat(rw.mountsOn("/")).isEmpty();
  }

  @Test
  void noPivotMovesTheRootAndChrootsInsteadOfPivotRoot() throws PlanException {
    DecodedPlan plan =
        DecodedPlan.of(PlanCompiler.compileInit(input(defaultSpec(), CONSOLE, true, null)));

    assertThat(plan.descriptions())
        .contains("chroot_move(" + r + ")")
        .doesNotContain("pivot_root(" + r + ")");
    assertThat(plan.indexOf("chroot_move(" + r + ")"))
        .isGreaterThan(plan.indexOf("symlink(" + r + "/dev/ptmx → pts/ptmx)"))
        .isLessThan(plan.indexOf("readonly_path(/proc/bus)"));
  }

  @Test
  void defaultDevicesAreCharacterNodesWithRuncsNumbers() throws PlanException {
    List<DecodedPlan.Step> nodes = compile(defaultSpec()).withOp(DecodedPlan.MKNOD);

    assertThat(nodes).hasSize(6);
    int[][] numbers = {{1, 3}, {1, 5}, {1, 7}, {1, 8}, {1, 9}, {5, 0}};
    for (int i = 0; i < numbers.length; i++) {
      DecodedPlan.Reader n = nodes.get(i).reader();
      n.str();
      assertThat(n.u32()).as(nodes.get(i).description()).isEqualTo(0020000 | 0666);
      assertThat(new int[] {n.u32(), n.u32()})
          .as(nodes.get(i).description())
          .containsExactly(numbers[i]);
      assertThat(new int[] {n.u32(), n.u32()}).as("uid, gid").containsExactly(0, 0);
    }
  }

  @Test
  void specDevicesFollowTheDefaultOnesWithTheirTypeAndMode() throws PlanException {
    Spec spec =
        edit(
            j ->
                list(object(j, "linux"), "devices")
                    .add(
                        obj(
                            "path",
                            "/dev/sda",
                            "type",
                            "b",
                            "major",
                            8L,
                            "minor",
                            0L,
                            "fileMode",
                            0640L,
                            "uid",
                            0L,
                            "gid",
                            6L)));

    DecodedPlan plan = compile(spec);

    DecodedPlan.Step sda = plan.withOp(DecodedPlan.MKNOD).getLast();
    assertThat(sda.description()).isEqualTo("mknod(" + r + "/dev/sda)");
    DecodedPlan.Reader n = sda.reader();
    n.str();
    assertThat(new int[] {n.u32(), n.u32(), n.u32(), n.u32(), n.u32()})
        .containsExactly(0060000 | 0640, 8, 0, 0, 6);
  }

  @Test
  void withoutDevPtsThereIsNoPtmxLink() throws PlanException {
    Spec spec =
        edit(
            j ->
                list(j, "mounts")
                    .removeIf(m -> "/dev/pts".equals(((Map<?, ?>) m).get("destination"))));

    assertThat(compile(spec).descriptions()).noneMatch(d -> d.contains("/dev/ptmx"));
  }

  @Test
  void withoutAMountNamespaceTheInitOnlyChangesIntoTheRootfs() throws PlanException {
    Spec spec =
        edit(
            j ->
                list(object(j, "linux"), "namespaces")
                    .removeIf(n -> "mount".equals(((Map<?, ?>) n).get("type"))));

    DecodedPlan plan = compile(spec);

    assertThat(plan.mounts()).isEmpty();
    assertThat(plan.descriptions())
        .doesNotContain("pivot_root(" + r + ")")
        .contains("chdir(" + r + ")");
    assertThat(plan.descriptions().get(4)).isEqualTo("clone(uts|ipc|pid|net)");
  }

  @Test
  void sysctlsAreWrittenUnderProcSysAndKeysCannotClimbOut() throws PlanException {
    DecodedPlan plan =
        compile(edit(j -> object(object(j, "linux"), "sysctl").put("net.ipv4.ip_forward", "1")));
    assertThat(plan.descriptions()).contains("write_file(/proc/sys/net/ipv4/ip_forward)");
    assertThat(plan.indexOf("write_file(/proc/sys/net/ipv4/ip_forward)"))
        .isGreaterThan(plan.indexOf("sethostname(runc)"))
        .as("before /proc/sys is made read-only (dockerd sets sysctls and lists /proc/sys)")
        .isLessThan(plan.indexOf("readonly_path(/proc/sys)"));

    Spec bad = edit(j -> object(object(j, "linux"), "sysctl").put("net/../../kernel", "1"));
    assertThatThrownBy(() -> compile(bad))
        .isInstanceOf(PlanException.class)
        .hasMessageContaining("linux.sysctl");
  }

  @Test
  void hostnameWithoutAUtsNamespaceIsRefused() {
    Spec spec =
        edit(
            j ->
                list(object(j, "linux"), "namespaces")
                    .removeIf(n -> "uts".equals(((Map<?, ?>) n).get("type"))));

    assertThatThrownBy(() -> compile(spec))
        .isInstanceOf(PlanException.class)
        .hasMessageStartingWith("hostname:");
  }

  @Test
  void aTerminalWithoutAConsoleSocketNamesProcessTerminal() {
    assertThatThrownBy(() -> PlanCompiler.compileInit(input(defaultSpec(), null, false, null)))
        .isInstanceOf(PlanException.class)
        .hasMessageStartingWith("process.terminal:");
  }

  @Test
  void noTerminalMeansNoConsoleSteps() throws PlanException {
    Spec spec = edit(j -> object(j, "process").put("terminal", false));

    Plan plan = PlanCompiler.compileInit(input(spec, null, false, null));

    assertThat(DecodedPlan.of(plan).descriptions()).noneMatch(d -> d.startsWith("console_"));
  }

  @Test
  void aProcessIsRequired() {
    Spec spec = edit(j -> j.remove("process"));

    assertThatThrownBy(() -> compile(spec))
        .isInstanceOf(PlanException.class)
        .hasMessageStartingWith("process:");
  }

  @Test
  void unknownNamespaceTypesAndDuplicatesNameTheField() {
    Spec unknown = edit(j -> list(object(j, "linux"), "namespaces").add(obj("type", "bogus")));
    assertThatThrownBy(() -> compile(unknown))
        .isInstanceOf(PlanException.class)
        .hasMessageStartingWith("linux.namespaces[5].type: unknown namespace type \"bogus\"");

    Spec twice = edit(j -> list(object(j, "linux"), "namespaces").add(obj("type", "pid")));
    assertThatThrownBy(() -> compile(twice))
        .isInstanceOf(PlanException.class)
        .hasMessageStartingWith("linux.namespaces[5].type: duplicate namespace \"pid\"");
  }

  @Test
  void theFifoWaitComesAfterAllSetUpAndExecIsLast() throws PlanException {
    List<String> steps = compile(defaultSpec()).descriptions();

    assertThat(steps.getLast()).isEqualTo("exec(sh)");
    assertThat(steps.get(steps.size() - 2)).isEqualTo("exec_fifo_wait(exec.fifo)");
    assertThat(steps.subList(0, 2))
        .containsExactly("open_state_dir(" + state + ")", "mkfifo(" + state + "/exec.fifo)");
  }
}
