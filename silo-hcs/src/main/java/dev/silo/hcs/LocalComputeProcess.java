package dev.silo.hcs;

import dev.silo.api.ComputeProcess;
import dev.silo.api.HResult;
import dev.silo.api.HcsException;
import dev.silo.init.InitProcess;
import dev.silo.linux.process.ErrnoException;
import dev.silo.linux.process.Pidfd;
import dev.silo.schema.hcs.ProcessSignal;
import dev.silo.schema.hcs.ProcessStatus;
import dev.silo.schema.hcs.SignalProcessOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A process of a compute system ({@code HCS_PROCESS}): signals go through a pidfd, so they cannot
 * hit a recycled pid; the exit code of a process we started comes from its silo-init parent.
 */
final class LocalComputeProcess implements ComputeProcess {
  private static final Duration TICK = Duration.ofMillis(250);

  private final String systemId;
  private final int pid;
  private final @Nullable Pidfd pidfd;
  private final @Nullable ProcessIo io;
  private final CompletableFuture<ProcessStatus> exit = new CompletableFuture<>();

  private LocalComputeProcess(
      String systemId, int pid, @Nullable Pidfd pidfd, @Nullable ProcessIo io) {
    this.systemId = systemId;
    this.pid = pid;
    this.pidfd = pidfd;
    this.io = io;
  }

  /** A process we started: its silo-init helper waits for it and exits with its code. */
  static LocalComputeProcess started(
      String systemId,
      int pid,
      @Nullable Pidfd pidfd,
      InitProcess helper,
      ProcessIo io,
      Consumer<ProcessStatus> onExit) {
    LocalComputeProcess p = new LocalComputeProcess(systemId, pid, pidfd, io);
    daemon(
        "hcs-process-" + pid,
        () -> {
          int code = helper.waitHelper();
          helper.close();
          p.exited(new ProcessStatus(pid, true, (long) Math.max(code, 0), 0), onExit);
        });
    return p;
  }

  /**
   * A process found in the system: only its pidfd says when it exits, and its exit code belongs to
   * its parent, so the status says PROCESS_INFO_NOT_AVAILABLE.
   */
  static LocalComputeProcess opened(String systemId, int pid, Consumer<ProcessStatus> onExit)
      throws HcsException {
    Pidfd pidfd;
    try {
      pidfd = Pidfd.open(pid);
    } catch (ErrnoException e) {
      throw new HcsException(
          "open process", systemId, HResult.ERROR_NOT_FOUND, "process " + pid + " is gone", e);
    }
    LocalComputeProcess p = new LocalComputeProcess(systemId, pid, pidfd, null);
    daemon(
        "hcs-process-" + pid,
        () -> {
          try {
            while (!pidfd.awaitExit(TICK)) {
              // Bounded polls, so the thread never sits in one endless native call.
            }
          } catch (ErrnoException e) {
            // A pidfd that can no longer be polled names a process that is gone.
          }
          int unknown = HResult.HCS_E_PROCESS_INFO_NOT_AVAILABLE.code();
          p.exited(new ProcessStatus(pid, true, null, unknown), onExit);
        });
    return p;
  }

  private static void daemon(String name, Runnable r) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    t.start();
  }

  private void exited(ProcessStatus status, Consumer<ProcessStatus> onExit) {
    exit.complete(status);
    onExit.accept(status);
  }

  @Override
  public int pid() {
    return pid;
  }

  @Override
  public @Nullable OutputStream stdin() {
    return io == null ? null : io.stdin();
  }

  @Override
  public @Nullable InputStream stdout() {
    return io == null ? null : io.stdout();
  }

  @Override
  public @Nullable InputStream stderr() {
    return io == null ? null : io.stderr();
  }

  @Override
  public void signal(int signal) throws HcsException {
    boolean delivered;
    try {
      delivered = !exit.isDone() && pidfd != null && pidfd.sendSignal(signal);
    } catch (ErrnoException e) {
      throw new HcsException(
          "signal process", systemId, HResult.E_FAIL, String.valueOf(e.getMessage()), e);
    }
    if (!delivered) {
      throw new HcsException(
          "signal process",
          systemId,
          HResult.HCS_E_PROCESS_ALREADY_STOPPED,
          "process " + pid + " has already exited");
    }
  }

  @Override
  public void signal(SignalProcessOptions options) throws HcsException {
    signal(toLinux(options.signal()));
  }

  /** CtrlC → SIGINT, CtrlBreak → SIGQUIT; Close, LogOff, Shutdown and the default → SIGTERM. */
  static int toLinux(@Nullable ProcessSignal signal) {
    if (signal == null) {
      return Signals.SIGTERM;
    }
    return switch (signal) {
      case CTRL_C -> Signals.SIGINT;
      case CTRL_BREAK -> Signals.SIGQUIT;
      case CTRL_CLOSE, CTRL_LOG_OFF, CTRL_SHUTDOWN -> Signals.SIGTERM;
    };
  }

  @Override
  public void terminate() throws HcsException {
    signal(Signals.SIGKILL);
  }

  @Override
  public void resizeConsole(int height, int width) throws HcsException {
    ProcessIo i = io;
    if (i == null || !i.hasConsole()) {
      throw new HcsException(
          "modify process", systemId, HResult.E_INVALIDARG, "process " + pid + " has no console");
    }
    try {
      i.resize(height, width);
    } catch (ErrnoException e) {
      throw new HcsException(
          "modify process", systemId, HResult.E_FAIL, String.valueOf(e.getMessage()), e);
    }
  }

  @Override
  public void closeStdin() throws HcsException {
    ProcessIo i = io;
    if (i == null) {
      return;
    }
    try {
      i.closeStdin();
    } catch (IOException e) {
      throw new HcsException(
          "modify process", systemId, HResult.E_FAIL, String.valueOf(e.getMessage()), e);
    }
  }

  @Override
  public ProcessStatus waitForExit(Duration timeout) throws HcsException {
    try {
      return exit.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      throw new HcsException(
          "wait process",
          systemId,
          HResult.HCS_E_OPERATION_TIMEOUT,
          "process " + pid + " still runs after " + timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HcsException("wait process", systemId, HResult.E_FAIL, "interrupted", e);
    } catch (ExecutionException e) {
      throw new HcsException("wait process", systemId, HResult.E_FAIL, e.toString(), e);
    }
  }

  /** Closes the handle's streams; the pidfd goes once the process is known to be gone. */
  @Override
  public void close() {
    ProcessIo i = io;
    if (i != null) {
      i.close();
    }
    Pidfd fd = pidfd;
    if (fd != null) {
      exit.whenComplete((s, t) -> fd.close());
    }
  }
}
