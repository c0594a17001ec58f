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
    try {
      InitProcess ip = SiloInit.locate().start(PlanCompiler.compileExec(in));
      int pid = ip.awaitPid();
      ip.awaitReady();
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
}
