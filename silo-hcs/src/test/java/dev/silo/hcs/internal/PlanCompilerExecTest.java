package dev.silo.hcs.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.silo.init.Plan;
import dev.silo.schema.oci.OciSpecs;
import dev.silo.schema.oci.Process;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * The plan of {@code runc exec}: cgroups, then the init's namespaces through /proc, then the
 * process.
 */
class PlanCompilerExecTest {
  static final List<Path> PROCS =
      List.of(
          Path.of("/sys/fs/cgroup/memory/c1/cgroup.procs"),
          Path.of("/sys/fs/cgroup/unified/c1/cgroup.procs"));
  static final Set<String> ALL = Set.of("mount", "cgroup", "pid", "network", "uts", "ipc", "user");

  static Process process(boolean terminal) {
    Process p = Objects.requireNonNull(OciSpecs.defaultSpec().process());
    return new Process(
        terminal,
        null,
        p.user(),
        List.of("ps", "-ef"),
        null,
        p.env(),
        "/",
        p.capabilities(),
        p.rlimits(),
        p.noNewPrivileges(),
        null,
        null,
        null,
        null,
        null);
  }

  // NullAway misses the type-use @Nullable of a byte[] record component read from a class file.
  @SuppressWarnings("NullAway")
  static ExecInput input(Process p, Set<String> namespaces, @Nullable String console) {
    return new ExecInput(
        p,
        42,
        namespaces,
        Path.of("/nonexistent/rootfs"),
        console,
        0,
        true,
        PROCS,
        null,
        0,
        40,
        List.of());
  }

  @Test
  void joinsCgroupsThenNamespacesUserFirstMountLast() throws PlanException {
    List<String> steps =
        DecodedPlan.of(PlanCompiler.compileExec(input(process(false), ALL, null))).descriptions();

    assertThat(steps.subList(0, 10))
        .containsExactly(
            "join_cgroup(" + PROCS.get(0) + ")",
            "join_cgroup(" + PROCS.get(1) + ")",
            "setns(user, /proc/42/ns/user)",
            "setns(ipc, /proc/42/ns/ipc)",
            "setns(uts, /proc/42/ns/uts)",
            "setns(net, /proc/42/ns/net)",
            "setns(pid, /proc/42/ns/pid)",
            "setns(cgroup, /proc/42/ns/cgroup)",
            "setns(mnt, /proc/42/ns/mnt)",
            "clone(none)");
    assertThat(steps.subList(steps.size() - 3, steps.size()))
        .containsExactly("close_fds(0)", "ready()", "exec(ps)");
    assertThat(steps)
        .doesNotContain("exec_fifo_wait(exec.fifo)")
        .noneMatch(d -> d.startsWith("mount("));
  }

  @Test
  void onlyTheContainersNamespacesAreJoined() throws PlanException {
    List<String> steps =
        DecodedPlan.of(
                PlanCompiler.compileExec(input(process(false), Set.of("pid", "mount"), null)))
            .descriptions();

    assertThat(steps.subList(2, 5))
        .containsExactly(
            "setns(pid, /proc/42/ns/pid)", "setns(mnt, /proc/42/ns/mnt)", "clone(none)");
  }

  @Test
  void aTerminalConnectsAndSetsUpTheConsoleBeforeTheProcessSteps() throws PlanException {
    List<String> steps =
        DecodedPlan.of(PlanCompiler.compileExec(input(process(true), ALL, "/run/c.sock")))
            .descriptions();

    int clone = steps.indexOf("clone(none)");
    assertThat(steps.subList(clone + 1, clone + 3))
        .containsExactly("console_connect(/run/c.sock)", "console_setup()");
  }

  @Test
  void aForegroundTerminalWithoutAConsoleSocketIsRelayedByTheHelper() throws PlanException {
    Plan plan = PlanCompiler.compileExec(input(process(true), ALL, null));

    assertThat(plan.consoleRelay()).isTrue();
    assertThat(DecodedPlan.of(plan).descriptions())
        .contains("console_setup()")
        .noneMatch(d -> d.startsWith("console_connect("));
  }

  @Test
  @SuppressWarnings("NullAway") // copies a nullable record component into the same component
  void aDetachedTerminalWithoutAConsoleSocketNamesProcessTerminal() {
    ExecInput fg = input(process(true), ALL, null);
    ExecInput detached =
        new ExecInput(
            fg.process(),
            fg.initPid(),
            fg.namespaces(),
            fg.rootfs(),
            null,
            fg.preserveFds(),
            false,
            fg.cgroupProcs(),
            fg.seccompProgram(),
            fg.seccompFlags(),
            fg.lastCap(),
            fg.extraEnv());
    assertThatThrownBy(() -> PlanCompiler.compileExec(detached))
        .isInstanceOf(PlanException.class)
        .hasMessageStartingWith("process.terminal:");
  }
}
