package dev.silo.hcs;

import dev.silo.api.HResult;
import dev.silo.api.HcsException;
import dev.silo.hcs.internal.ProcStat;
import dev.silo.hcs.internal.StoredContainer;
import dev.silo.init.SiloInit;
import dev.silo.linux.cgroup.Cgroup;
import java.io.IOException;
import java.util.List;

/**
 * Terminates a system (SIGKILL to all of it) and removes its cgroup and state: HcsTerminate +
 * Close.
 */
final class Reaper {
  private static final long WAIT_MS = 10_000;

  private final ComputeService service;
  private final StoredContainer c;

  Reaper(ComputeService service, StoredContainer c) {
    this.service = service;
    this.c = c;
  }

  void killAndRemove(Status status) throws HcsException {
    Cgroup cg = service.cgroupOf(c);
    try {
      if (status != Status.STOPPED) {
        killAll(cg, status == Status.PAUSED);
      }
      destroyCgroup(cg);
      Timing.mark("cgroup-destroy");
      MonitorFiles.settle(service.store().dir(c.id()));
    } catch (IOException e) {
      throw new HcsException(
          "delete", c.id(), HResult.E_FAIL, "cannot remove cgroup: " + e.getMessage(), e);
    }
    service.removeLeftovers(c.id());
  }

  private void killAll(Cgroup cg, boolean frozen) throws IOException, HcsException {
    SiloInit.kill(c.initPid(), Signals.SIGKILL);
    if (cg.exists()) {
      for (int pid : cg.pids()) {
        SiloInit.kill(pid, Signals.SIGKILL);
      }
      if (frozen) {
        // A frozen task only acts on SIGKILL once thawed.
        cg.thaw();
      }
    }
    long deadline = System.currentTimeMillis() + WAIT_MS;
    while (ProcStat.isAlive(c.initPid(), c.initStartTime())
        || (cg.exists() && !cg.pids().isEmpty())) {
      if (System.currentTimeMillis() > deadline) {
        throw new HcsException(
            "delete",
            c.id(),
            HResult.HCS_E_OPERATION_TIMEOUT,
            "processes did not exit after SIGKILL");
      }
      Thread.onSpinWait();
      sleepBriefly();
    }
  }

  /** Destroys a cgroup, waiting (bounded) for exiting tasks to leave it. */
  static void destroyCgroup(Cgroup cg) throws IOException {
    long deadline = System.currentTimeMillis() + WAIT_MS;
    while (true) {
      try {
        cg.destroy();
        return;
      } catch (IOException e) {
        List<Integer> left = cg.exists() ? cg.pids() : List.of();
        for (int pid : left) {
          SiloInit.kill(pid, Signals.SIGKILL);
        }
        if (System.currentTimeMillis() > deadline) {
          throw e;
        }
        sleepBriefly();
      }
    }
  }

  private static void sleepBriefly() {
    try {
      Thread.sleep(5);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
