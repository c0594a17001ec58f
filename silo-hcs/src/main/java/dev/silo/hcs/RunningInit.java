package dev.silo.hcs;

import dev.silo.init.InitProcess;

/**
 * The init of a system created in the foreground: the caller is its parent's parent and waits for
 * it, as {@code runc run} does.
 */
public final class RunningInit {
  private final InitProcess init;
  private final int pid;

  RunningInit(InitProcess init, int pid) {
    this.init = init;
    this.pid = pid;
  }

  public int pid() {
    return pid;
  }

  /** Waits for the container's init to exit; its code, or 128+signal. */
  public int waitExit() {
    int status = init.waitHelper();
    init.close();
    return status;
  }
}
