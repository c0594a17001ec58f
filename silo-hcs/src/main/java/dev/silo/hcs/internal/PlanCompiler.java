package dev.silo.hcs.internal;

import dev.silo.init.Plan;
import dev.silo.schema.oci.IdMapping;
import dev.silo.schema.oci.Linux;
import dev.silo.schema.oci.Process;
import dev.silo.schema.oci.Spec;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Compiles a validated OCI spec into the plan silo-init executes ("Java thinks, C executes"): a
 * pure function of its input, so the whole container set-up is unit-testable without a kernel.
 */
public final class PlanCompiler {
  private PlanCompiler() {}

  /**
   * The plan of a container's init: namespaces, cgroups, rootfs, process, then the exec fifo wait.
   */
  public static Plan compileInit(PlanInput in) throws PlanException {
    Spec spec = in.spec();
    Process p = spec.process();
    if (p == null) {
      throw new PlanException("process: required to create a container");
    }
    NamespaceSet ns = NamespaceSet.of(spec.linux());
    Plan.Builder plan = Plan.builder().foreground(in.foreground());
    plan.stateDir(in.stateDir().toString());
    plan.mkfifo(in.stateDir().resolve(StateStore.EXEC_FIFO).toString(), 0622);
    // Cgroups first: their paths are host paths, which a joined mount namespace would hide.
    for (var procs : in.cgroupProcs()) {
      plan.joinCgroup(procs.toString());
    }
    for (NamespaceSet.Join j : ns.joins()) {
      plan.joinNamespace(j.flag(), j.path());
    }
    plan.cloneNamespaces(ns.cloneFlags());
    idMaps(plan, spec.linux(), ns);
    if (p.terminal()) {
      console(plan, in.consoleSocket(), in.foreground());
    }
    if (ns.hasMount()) {
      RootfsSteps.beforePivot(plan, in, ns);
      if (hasCreateHooks(spec)) {
        plan.hooks();
      }
      RootfsSteps.pivot(plan, in);
      // runc writes sysctls before it makes readonlyPaths (/proc/sys among them) read-only.
      hostAndSysctl(plan, spec, ns);
      RootfsSteps.afterPivot(plan, in);
    } else {
      plan.chdir(in.rootfs().toString());
      hostAndSysctl(plan, spec, ns);
    }
    if (p.terminal()) {
      consoleSetup(plan, p);
    }
    byte[] seccomp = in.seccompProgram() == null ? new byte[0] : in.seccompProgram();
    ProcessSteps.beforeWait(
        plan, p, in.rootfs(), seccomp, in.seccompFlags(), in.lastCap(), in.preserveFds());
    plan.execFifoWait(StateStore.EXEC_FIFO);
    ProcessSteps.exec(plan, p, in.rootfs(), seccomp, in.seccompFlags(), in.extraEnv());
    return plan.build();
  }

  /**
   * The plan of a process run in an existing container ({@code runc exec}): join every namespace of
   * its init through /proc, join its cgroups, then the process steps.
   */
  public static Plan compileExec(ExecInput in) throws PlanException {
    Process p = in.process();
    Plan.Builder plan = Plan.builder().foreground(in.foreground());
    // Cgroups first: their paths are host paths, which the joined mount namespace no longer shows.
    for (var procs : in.cgroupProcs()) {
      plan.joinCgroup(procs.toString());
    }
    // User first; mount last so the /proc paths of the other namespaces still resolve.
    String[][] order = {
      {"user", "user"},
      {"ipc", "ipc"},
      {"uts", "uts"},
      {"net", "network"},
      {"pid", "pid"},
      {"cgroup", "cgroup"},
      {"mnt", "mount"}
    };
    for (String[] o : order) {
      if (in.namespaces().contains(o[1])) {
        plan.joinNamespace(NamespaceSet.flagOf(o[1]), "/proc/" + in.initPid() + "/ns/" + o[0]);
      }
    }
    plan.cloneNamespaces(0);
    if (p.terminal()) {
      console(plan, in.consoleSocket(), in.foreground());
      consoleSetup(plan, p);
    }
    byte[] seccomp = in.seccompProgram() == null ? new byte[0] : in.seccompProgram();
    ProcessSteps.beforeWait(
        plan, p, in.rootfs(), seccomp, in.seccompFlags(), in.lastCap(), in.preserveFds());
    plan.ready();
    ProcessSteps.exec(plan, p, in.rootfs(), seccomp, in.seccompFlags(), in.extraEnv());
    return plan.build();
  }

  /**
   * The pty, its owner (the container user, as runc chowns it) and its size (process.consoleSize).
   */
  private static void consoleSetup(Plan.Builder plan, Process p) {
    plan.consoleSetup();
    plan.fchown(0, (int) p.user().uid(), -1); // the group stays devpts' tty group (gid=5)
    Process.ConsoleSize size = p.consoleSize();
    if (size != null) {
      plan.winsize(0, (int) size.height(), (int) size.width());
    }
  }

  /**
   * The pty goes to the caller's console socket, or in the foreground to silo-init, which relays
   * it.
   */
  private static void console(Plan.Builder plan, @Nullable String socket, boolean foreground)
      throws PlanException {
    if (socket != null) {
      plan.consoleConnect(socket);
    } else if (foreground) {
      plan.consoleRelay();
    } else {
      throw new PlanException("process.terminal: a detached terminal needs --console-socket");
    }
  }

  /**
   * prestart, createRuntime and createContainer hooks run while the init waits before pivot_root.
   */
  public static boolean hasCreateHooks(Spec spec) {
    var h = spec.hooks();
    return h != null
        && !(h.prestart().isEmpty()
            && h.createRuntime().isEmpty()
            && h.createContainer().isEmpty());
  }

  private static void idMaps(Plan.Builder plan, @Nullable Linux linux, NamespaceSet ns) {
    if (linux == null || !ns.newUser()) {
      return;
    }
    plan.uidMap(mapText(linux.uidMappings()));
    plan.gidMap(mapText(linux.gidMappings()));
  }

  private static String mapText(List<IdMapping> maps) {
    StringBuilder sb = new StringBuilder();
    for (IdMapping m : maps) {
      sb.append(m.containerId())
          .append(' ')
          .append(m.hostId())
          .append(' ')
          .append(m.size())
          .append('\n');
    }
    return sb.toString();
  }

  private static void hostAndSysctl(Plan.Builder plan, Spec spec, NamespaceSet ns)
      throws PlanException {
    String hostname = spec.hostname();
    if (hostname != null && !hostname.isEmpty()) {
      if (!ns.newUts()) {
        throw new PlanException("hostname: setting the hostname needs a new uts namespace");
      }
      plan.sethostname(hostname);
    }
    String domain = spec.domainname();
    if (domain != null && !domain.isEmpty()) {
      if (!ns.newUts()) {
        throw new PlanException("domainname: setting the domain name needs a new uts namespace");
      }
      plan.setdomainname(domain);
    }
    Linux linux = spec.linux();
    if (linux != null) {
      for (Map.Entry<String, String> s : linux.sysctl().entrySet()) {
        if (s.getKey().contains("..") || s.getKey().contains("/..")) {
          throw new PlanException("linux.sysctl: invalid key \"" + s.getKey() + "\"");
        }
        plan.writeFile("/proc/sys/" + s.getKey().replace('.', '/'), s.getValue());
      }
    }
  }
}
