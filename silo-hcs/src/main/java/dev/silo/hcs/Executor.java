package dev.silo.hcs;

import dev.silo.api.HResult;
import dev.silo.api.HcsException;
import dev.silo.hcs.internal.ExecInput;
import dev.silo.hcs.internal.Files2;
import dev.silo.hcs.internal.PlanCompiler;
import dev.silo.hcs.internal.PlanException;
import dev.silo.hcs.internal.SeccompBridge;
import dev.silo.hcs.internal.StoredContainer;
import dev.silo.init.InitException;
import dev.silo.init.InitProcess;
import dev.silo.init.SiloInit;
import dev.silo.linux.seccomp.CompiledFilter;
import dev.silo.schema.oci.Linux;
import dev.silo.schema.oci.Process;
import dev.silo.schema.oci.Spec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Starts a process inside a running system (HcsCreateProcess; runc exec). */
final class Executor {
  private Executor() {}

  /**
   * Finds the program in the container (through /proc/<init>/root, so the container's mounts count)
   * before anything starts, so a missing binary is an error of the call, as in runc, and not an
   * exit code of a process that never ran.
   */
  static void requireExecutable(String id, int initPid, Process p) throws HcsException {
    if (p.args().isEmpty()) {
      return;
    }
    String prog = p.args().getFirst();
    Path root = Path.of("/proc/" + initPid + "/root");
    if (prog.contains("/")) {
      if (!java.nio.file.Files.isExecutable(
              root.resolve(prog.startsWith("/") ? prog.substring(1) : prog))
          && prog.startsWith("/")) {
        throw notFound(id, prog, "no such file or directory");
      }
      return;
    }
    String path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    for (String e : p.env()) {
      if (e.startsWith("PATH=")) {
        path = e.substring(5);
      }
    }
    for (String dir : path.split(":")) {
      Path candidate = root.resolve((dir.startsWith("/") ? dir.substring(1) : dir)).resolve(prog);
      if (java.nio.file.Files.isExecutable(candidate)
          && !java.nio.file.Files.isDirectory(candidate)) {
        return;
      }
    }
    throw notFound(id, prog, "executable file not found in $PATH");
  }

  private static HcsException notFound(String id, String prog, String why) {
    return new HcsException(
        "exec", id, HResult.ERROR_FILE_NOT_FOUND, "exec failed: exec: \"" + prog + "\": " + why);
  }

  /**
   * Runs the process; detached: returns its pid at once; otherwise waits and returns its exit code.
   */
  static int exec(ComputeService service, String id, ExecRequest req) throws HcsException {
    StoredContainer c = service.store().load("exec", id);
    Status s = service.statusOf(c);
    if (s == Status.STOPPED) {
      throw ComputeService.invalid("exec", id, "cannot exec in a stopped container");
    }
    if (s == Status.PAUSED && !req.ignorePaused()) {
      throw ComputeService.invalid("exec", id, "cannot exec in a paused container");
    }
    ExecInput in = prepare(service, id, req, c);
    try {
      InitProcess ip = SiloInit.locate().start(PlanCompiler.compileExec(in));
      service.debug(
          "nsexec container setup: silo-init " + ip.helperPid() + " joins " + in.namespaces());
      int pid = ip.awaitPid();
      service.debug("child process in init(): pid " + pid);
      ip.awaitReady();
      service.debug("setns_init: about to exec " + req.process().args().getFirst());
      Path pidFile = req.pidFile();
      if (pidFile != null) {
        try {
          Files2.writeAtomically(pidFile, Integer.toString(pid));
        } catch (IOException e) {
          SiloInit.kill(pid, Signals.SIGKILL);
          ip.waitHelper();
          ip.close();
          throw new HcsException(
              "exec",
              id,
              HResult.E_FAIL,
              "cannot write pid file " + pidFile + ": " + e.getClass().getSimpleName(),
              e);
        }
      }
      int status = ip.waitHelper();
      ip.close();
      return req.detach() ? pid : status;
    } catch (PlanException e) {
      throw new HcsException("exec", id, HResult.E_INVALIDARG, "process: " + e.getMessage(), e);
    } catch (InitException e) {
      throw new HcsException("exec", id, HResult.E_FAIL, String.valueOf(e.getMessage()), e);
    }
  }

  /**
   * The exec plan's input for a process in {@code c}: the namespaces to join, seccomp and cgroups;
   * fails when the program is not in the container. Shared by runc exec and the HCS API.
   */
  static ExecInput prepare(ComputeService service, String id, ExecRequest req, StoredContainer c)
      throws HcsException {
    Spec spec = service.spec(id);
    Set<String> namespaces = new HashSet<>();
    Linux linux = spec.linux();
    if (linux != null) {
      for (Linux.Namespace n : linux.namespaces()) {
        namespaces.add(n.type());
      }
    }
    CompiledFilter filter = linux == null ? null : SeccompBridge.compile(linux.seccomp());
    ExecInput in =
        new ExecInput(
            req.process(),
            c.initPid(),
            namespaces,
            Path.of(c.rootfs()),
            req.consoleSocket(),
            req.preserveFds(),
            !req.detach(),
            SubCgroups.procsFiles(id, service.cgroupOf(c), req.subCgroups()),
            filter == null ? null : filter.program(),
            filter == null ? 0 : filter.flags(),
            Kernel.lastCap(),
            List.of());
    requireExecutable(id, c.initPid(), req.process());
    return in;
  }
}
