package dev.silo.hcs.internal;

import static dev.silo.hcs.internal.SpecJson.list;
import static dev.silo.hcs.internal.SpecJson.obj;
import static dev.silo.hcs.internal.SpecJson.object;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.silo.schema.oci.Spec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * The process part of the init plan: rlimits, ids, capabilities, seccomp placement, user
 * namespaces, joins.
 */
class PlanCompilerProcessTest extends PlanFixture {
  static final long AUDIT_WRITE = 1L << 29;
  static final long KILL = 1L << 5;
  static final long NET_BIND_SERVICE = 1L << 10;
  static final long RUNC_CAPS = AUDIT_WRITE | KILL | NET_BIND_SERVICE;
  static final byte[] FILTER = new byte[16];

  @Override
  boolean terminal() {
    return false;
  }

  // NullAway misses the type-use @Nullable of a byte[] record component read from a class file.
  @SuppressWarnings("NullAway")
  DecodedPlan compile(Spec spec, byte @Nullable [] seccomp, int lastCap) throws PlanException {
    PlanInput in =
        new PlanInput(
            spec,
            bundle,
            rootfs,
            state,
            null,
            false,
            2,
            false,
            List.of(Path.of("/sys/fs/cgroup/pids/c1/cgroup.procs")),
            Map.of(),
            seccomp,
            1,
            lastCap,
            List.of("X=1"));
    return DecodedPlan.of(PlanCompiler.compileInit(in));
  }

  DecodedPlan compile(Spec spec) throws PlanException {
    return compile(spec, null, 40);
  }

  /** bounding, effective, permitted, inheritable, ambient of the CAPS step. */
  static long[] caps(DecodedPlan plan) {
    DecodedPlan.Reader c = plan.withOp(DecodedPlan.CAPS).getFirst().reader();
    return new long[] {c.u64(), c.u64(), c.u64(), c.u64(), c.u64()};
  }

  @Test
  void rlimitsCarryTypeSoftAndHard() throws PlanException {
    DecodedPlan.Reader rl =
        compile(edit(j -> {})).withOp(DecodedPlan.SETRLIMIT).getFirst().reader();

    assertThat(rl.u32()).as("RLIMIT_NOFILE").isEqualTo(7);
    assertThat(new long[] {rl.u64(), rl.u64()}).containsExactly(1024, 1024);
  }

  @Test
  void ambientCapsAreLimitedToInheritableAndPermitted() throws PlanException {
    // runc's defaults list ambient caps but no inheritable ones: the kernel could raise none of
    // them.
    assertThat(caps(compile(edit(j -> {})))).containsExactly(RUNC_CAPS, RUNC_CAPS, RUNC_CAPS, 0, 0);

    Spec inheritable =
        edit(
            j ->
                object(object(j, "process"), "capabilities")
                    .put("inheritable", List.of("CAP_KILL", "CAP_AUDIT_WRITE")));
    assertThat(caps(compile(inheritable)))
        .containsExactly(RUNC_CAPS, RUNC_CAPS, RUNC_CAPS, KILL | AUDIT_WRITE, KILL | AUDIT_WRITE);
  }

  @Test
  void capsPastTheKernelsLastCapAreSkipped() throws PlanException {
    long[] sets = caps(compile(edit(j -> {}), null, 28));

    assertThat(sets[0]).isEqualTo(KILL | NET_BIND_SERVICE);
  }

  @Test
  void userAndGroupsAndUmaskComeFromProcessUser() throws PlanException {
    Spec spec =
        edit(
            j ->
                object(j, "process")
                    .put(
                        "user",
                        obj(
                            "uid",
                            1000L,
                            "gid",
                            100L,
                            "umask",
                            0077L,
                            "additionalGids",
                            List.of(5L, 4294967294L))));

    List<String> steps = compile(spec).descriptions();

    assertThat(steps)
        .containsSubsequence(
            "setgroups(5, 4294967294)", "setids(1000, 100)", "capabilities()", "umask(077)");
  }

  @Test
  void processStepsRunInRuncsOrderAfterTheRootfs() throws PlanException {
    Spec spec =
        edit(
            j -> {
              object(j, "process").put("cwd", "/tmp");
              object(j, "process").put("oomScoreAdj", 100L);
            });

    assertThat(compile(spec).descriptions())
        .containsSubsequence(
            "sethostname(runc)",
            "mask_path(/proc/scsi)",
            "setrlimit(RLIMIT_NOFILE)",
            "write_file(/proc/self/oom_score_adj)",
            "setgroups()",
            "setids(0, 0)",
            "capabilities()",
            "umask(022)",
            "chdir(/tmp)",
            "no_new_privs()",
            "close_fds(2)",
            "exec_fifo_wait(exec.fifo)",
            "exec(sh)");
  }

  @Test
  void withNoNewPrivsSeccompGoesInAfterTheFifoWaitRightBeforeExec() throws PlanException {
    List<String> steps = compile(edit(j -> {}), FILTER, 40).descriptions();

    assertThat(steps.subList(steps.size() - 4, steps.size()))
        .containsExactly(
            "close_fds(2)", "exec_fifo_wait(exec.fifo)", "seccomp(2 insns)", "exec(sh)");
    assertThat(steps).containsOnlyOnce("seccomp(2 insns)");
  }

  @Test
  void withoutNoNewPrivsSeccompGoesInBeforeTheIdsChange() throws PlanException {
    List<String> steps =
        compile(edit(j -> object(j, "process").put("noNewPrivileges", false)), FILTER, 40)
            .descriptions();

    assertThat(steps)
        .containsSubsequence(
            "setrlimit(RLIMIT_NOFILE)",
            "seccomp(2 insns)",
            "setgroups()",
            "setids(0, 0)",
            "exec_fifo_wait(exec.fifo)",
            "exec(sh)");
    assertThat(steps).containsOnlyOnce("seccomp(2 insns)").doesNotContain("no_new_privs()");
  }

  @Test
  void seccompStepCarriesTheFlagsAndProgram() throws PlanException {
    byte[] program = {1, 2, 3, 4, 5, 6, 7, 8};

    DecodedPlan.Step s = compile(edit(j -> {}), program, 40).withOp(DecodedPlan.SECCOMP).getFirst();

    assertThat(s.payload()).containsExactly(1, 0, 0, 0, 8, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8);
  }

  @Test
  void execGetsTheProcessEnvPlusExtraEnvAndHomeFromPasswd() throws IOException, PlanException {
    Files.createDirectories(rootfs.resolve("etc"));
    Files.writeString(rootfs.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n");

    DecodedPlan.ExecStep exec =
        compile(edit(j -> object(j, "process").put("args", List.of("sh", "-c", "x")))).exec();

    assertThat(exec.path()).isEqualTo("sh");
    assertThat(exec.argv()).containsExactly("sh", "-c", "x");
    assertThat(exec.env())
        .containsExactly(
            "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            "TERM=xterm",
            "X=1",
            "HOME=/root");
  }

  @Test
  void unknownRlimitNamesTheField() {
    Spec spec =
        edit(
            j ->
                list(object(j, "process"), "rlimits")
                    .add(obj("type", "RLIMIT_BOGUS", "hard", 1L, "soft", 1L)));

    assertThatThrownBy(() -> compile(spec))
        .isInstanceOf(PlanException.class)
        .hasMessage("process.rlimits[1].type: unknown rlimit \"RLIMIT_BOGUS\"");
  }

  @Test
  void unknownCapabilityNamesTheField() {
    Spec spec =
        edit(
            j ->
                object(object(j, "process"), "capabilities")
                    .put("permitted", List.of("CAP_KILL", "CAP_FLY")));

    assertThatThrownBy(() -> compile(spec))
        .isInstanceOf(PlanException.class)
        .hasMessage("process.capabilities.permitted: unknown capability \"CAP_FLY\"");
  }

  @Test
  void emptyArgsAreRefused() {
    Spec spec = edit(j -> object(j, "process").put("args", List.of()));

    assertThatThrownBy(() -> compile(spec))
        .isInstanceOf(PlanException.class)
        .hasMessageStartingWith("process.args:");
  }

  @Test
  void aNewUserNamespaceWritesTheIdMapsAndBindsDevices() throws PlanException {
    Spec spec =
        edit(
            j -> {
              Map<String, Object> linux = object(j, "linux");
              list(linux, "namespaces").add(obj("type", "user"));
              list(linux, "uidMappings")
                  .add(obj("containerID", 0L, "hostID", 100000L, "size", 65536L));
              list(linux, "gidMappings")
                  .add(obj("containerID", 0L, "hostID", 200000L, "size", 1000L));
            });

    List<String> steps = compile(spec).descriptions();

    assertThat(steps.subList(3, 6))
        .containsExactly(
            "clone(mnt|uts|ipc|user|pid|net)", "uid_map(0 100000 65536)", "gid_map(0 200000 1000)");
    assertThat(steps)
        .contains("bind_device(/dev/null → " + r + "/dev/null)")
        .noneMatch(d -> d.startsWith("mknod("));
  }

  @Test
  void cgroupsThenNamespacesJoinedByPathComeBeforeTheCloneUserFirst() throws PlanException {
    Spec spec =
        edit(
            j ->
                list(object(j, "linux"), "namespaces")
                    .replaceAll(
                        n ->
                            "network".equals(((Map<?, ?>) n).get("type"))
                                ? obj("type", "network", "path", "/proc/1/ns/net")
                                : n));
    Spec withUser =
        SpecJson.edit(
            spec,
            j ->
                list(object(j, "linux"), "namespaces")
                    .add(obj("type", "user", "path", "/proc/1/ns/user")));

    List<String> steps = compile(withUser).descriptions();

    assertThat(steps.subList(0, 6))
        .containsExactly(
            "open_state_dir(" + state + ")",
            "mkfifo(" + state + "/exec.fifo)",
            "join_cgroup(/sys/fs/cgroup/pids/c1/cgroup.procs)",
            "setns(user, /proc/1/ns/user)",
            "setns(net, /proc/1/ns/net)",
            "clone(mnt|uts|ipc|pid)");
    assertThat(steps).noneMatch(d -> d.startsWith("uid_map(") || d.startsWith("gid_map("));
  }
}
