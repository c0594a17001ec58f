package dev.silo.hcs;

import dev.silo.api.ComputeProcess;
import dev.silo.api.HResult;
import dev.silo.api.HcsException;
import dev.silo.hcs.internal.StoredContainer;
import dev.silo.linux.process.ErrnoException;
import dev.silo.linux.process.Pidfd;
import dev.silo.schema.hcs.ProcessParameters;
import dev.silo.schema.hcs.ProcessStatus;
import dev.silo.schema.hcs.Properties;
import dev.silo.schema.hcs.State;
import dev.silo.schema.oci.LinuxResources;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/** The kernel side of the HCS handle API: a {@link ComputeService} and pidfds. */
final class ServiceSubstrate implements SystemSubstrate {
  /** How often a watch thread looks whether it was cancelled while the init lives on. */
  private static final Duration WATCH_TICK = Duration.ofMillis(250);

  private final ComputeService service;

  ServiceSubstrate(ComputeService service) {
    this.service = service;
  }

  @Override
  public State state(String id) throws HcsException {
    StoredContainer c = service.store().load("open", id);
    return switch (service.statusOf(c)) {
      case CREATING, CREATED -> State.CREATED;
      case RUNNING -> State.RUNNING;
      case PAUSED -> State.PAUSED;
      case STOPPED -> State.STOPPED;
    };
  }

  @Override
  public Path stateDir(String id) {
    return service.store().dir(id);
  }

  @Override
  public void start(String id) throws HcsException {
    service.start(id);
  }

  @Override
  public void pause(String id) throws HcsException {
    service.pause(id);
  }

  @Override
  public void resume(String id) throws HcsException {
    service.resume(id);
  }

  @Override
  public boolean signalInit(String id, int signal) throws HcsException {
    StoredContainer c = service.store().load("shutdown", id);
    try (Pidfd p = Pidfd.open(c.initPid())) {
      return p.sendSignal(signal);
    } catch (ErrnoException e) {
      if (e.errno() == 3) { // ESRCH
        return false;
      }
      throw new HcsException("shutdown", id, HResult.E_FAIL, String.valueOf(e.getMessage()), e);
    }
  }

  @Override
  public void killAll(String id) throws HcsException {
    StoredContainer c = service.store().load("terminate", id);
    boolean frozen = service.statusOf(c) == Status.PAUSED;
    service.signal(id, Signals.SIGKILL, true);
    signalInit(id, Signals.SIGKILL);
    if (frozen) {
      try {
        service.cgroupOf(c).thaw(); // a frozen task acts on SIGKILL only once thawed
      } catch (IOException e) {
        throw new HcsException("terminate", id, HResult.E_FAIL, "cannot thaw: " + e, e);
      }
    }
  }

  @Override
  public Properties properties(String id) throws HcsException {
    return service.properties(id);
  }

  @Override
  public void update(String id, LinuxResources resources) throws HcsException {
    service.update(id, resources);
  }

  @Override
  public void remove(String id) throws HcsException {
    service.delete(id, true);
  }

  @Override
  public List<String> ids() throws HcsException {
    List<String> ids = new ArrayList<>();
    for (ContainerState s : service.list()) {
      ids.add(s.id());
    }
    return ids;
  }

  /**
   * One daemon thread per system polls the init's pidfd; pidfd_open works for an init that is not
   * our child (runhcs create hands it to the caller's subreaper), and a pid that is already gone
   * counts as exited at once.
   */
  @Override
  public AutoCloseable watchExit(String id, Runnable onExit) throws HcsException {
    StoredContainer c = service.store().load("open", id);
    @Nullable Pidfd pidfd;
    try {
      pidfd = Pidfd.open(c.initPid());
    } catch (ErrnoException e) {
      pidfd = null;
    }
    ExitWatch watch = new ExitWatch(pidfd, onExit);
    Thread t = new Thread(watch, "hcs-watch-" + id);
    t.setDaemon(true);
    t.start();
    return watch;
  }

  @Override
  public ComputeProcess createProcess(
      String id, ProcessParameters p, Consumer<ProcessStatus> onExit) throws HcsException {
    return new ProcessLauncher(service, id).launch(p, onExit);
  }

  @Override
  public ComputeProcess openProcess(String id, int pid, Consumer<ProcessStatus> onExit)
      throws HcsException {
    if (!service.pids(id).contains(pid)) {
      throw new HcsException(
          "open process", id, HResult.ERROR_NOT_FOUND, "no process " + pid + " in the system");
    }
    return LocalComputeProcess.opened(id, pid, onExit);
  }

  /** Polls a pidfd until the process exits or the watch is closed. */
  private static final class ExitWatch implements Runnable, AutoCloseable {
    private final @Nullable Pidfd pidfd;
    private final Runnable onExit;
    private volatile boolean cancelled;

    ExitWatch(@Nullable Pidfd pidfd, Runnable onExit) {
      this.pidfd = pidfd;
      this.onExit = onExit;
    }

    @Override
    public void run() {
      try {
        while (!cancelled) {
          if (pidfd == null || pidfd.awaitExit(WATCH_TICK)) {
            onExit.run();
            return;
          }
        }
      } catch (ErrnoException e) {
        onExit.run(); // a pidfd that cannot be polled any more: the process is gone
      } finally {
        if (pidfd != null) {
          pidfd.close();
        }
      }
    }

    @Override
    public void close() {
      cancelled = true;
    }
  }
}
