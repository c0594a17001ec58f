package dev.silo.hcs;

import dev.silo.api.ComputeProcess;
import dev.silo.api.HResult;
import dev.silo.api.HcsEvent;
import dev.silo.api.HcsEventListener;
import dev.silo.api.HcsException;
import dev.silo.hcs.SystemStates.Call;
import dev.silo.schema.hcs.ExitType;
import dev.silo.schema.hcs.ModifySettingRequest;
import dev.silo.schema.hcs.ProcessParameters;
import dev.silo.schema.hcs.Properties;
import dev.silo.schema.hcs.PropertyQuery;
import dev.silo.schema.hcs.PropertyType;
import dev.silo.schema.hcs.State;
import dev.silo.schema.hcs.SystemExitStatus;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * One compute system as this process knows it, shared by all its handles: the state-machine calls,
 * the exit watch, the listeners and the handle count. Events go out on one thread per system, so
 * listeners see them in the order they happened.
 */
final class SystemEntry {
  /** How long a Terminate waits for the kernel to take every process down. */
  static final Duration KILL_WAIT = Duration.ofSeconds(10);

  private final String id;
  private final SystemSubstrate sub;
  private final ExitRecord record;
  private final Runnable onLastClose;
  private final boolean owned;
  private final Object lock = new Object();

  /** Held while an operation emits its completion, so SystemExited never overtakes it. */
  private final Object completion = new Object();

  private final List<HcsEventListener> listeners = new CopyOnWriteArrayList<>();
  private final CompletableFuture<SystemExitStatus> exit = new CompletableFuture<>();
  private final ExecutorService events;
  private int handles;
  private @Nullable AutoCloseable watch;

  /**
   * @param owned this process created the system and so owns its lifetime: only an owner's last
   *     handle terminates (ShouldTerminateOnLastHandleClosed) or removes it; handles opened on a
   *     system created elsewhere only observe it, as there is no daemon counting every process's
   *     handles
   */
  SystemEntry(String id, SystemSubstrate sub, boolean owned, Runnable onLastClose) {
    this.id = id;
    this.owned = owned;
    this.sub = sub;
    this.record = new ExitRecord(sub.stateDir(id));
    this.onLastClose = onLastClose;
    this.events =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "hcs-events-" + id);
              t.setDaemon(true);
              return t;
            });
  }

  String id() {
    return id;
  }

  ExitRecord record() {
    return record;
  }

  /** Starts watching the init; called once, right after the entry is registered. */
  void watch() throws HcsException {
    watch = sub.watchExit(id, this::initExited);
  }

  synchronized void addHandle() {
    handles++;
  }

  void start() throws HcsException {
    synchronized (lock) {
      synchronized (completion) {
        SystemStates.check(Call.START, sub.state(id), id);
        sub.start(id);
        emit(new HcsEvent.StartCompleted(id));
      }
    }
  }

  void pause() throws HcsException {
    synchronized (lock) {
      synchronized (completion) {
        SystemStates.check(Call.PAUSE, sub.state(id), id);
        sub.pause(id);
        emit(new HcsEvent.PauseCompleted(id));
      }
    }
  }

  void resume() throws HcsException {
    synchronized (lock) {
      synchronized (completion) {
        SystemStates.check(Call.RESUME, sub.state(id), id);
        sub.resume(id);
        emit(new HcsEvent.ResumeCompleted(id));
      }
    }
  }

  /**
   * SIGTERM to the init, then Terminate once {@code grace} has passed. A paused system cannot act
   * on SIGTERM, so it is terminated at once.
   */
  void shutdown(Duration grace) throws HcsException {
    synchronized (lock) {
      State s = sub.state(id);
      SystemStates.check(Call.SHUTDOWN, s, id);
      if (s != State.PAUSED) {
        intend(ExitType.GRACEFUL_EXIT, "shutdown");
        if (!sub.signalInit(id, Signals.SIGTERM) || awaitExit(grace)) {
          awaitExitOrFail("shutdown", KILL_WAIT);
          return;
        }
      }
      killAndWait("shutdown");
    }
  }

  void terminate() throws HcsException {
    synchronized (lock) {
      SystemStates.check(Call.TERMINATE, sub.state(id), id);
      killAndWait("terminate");
    }
  }

  private void killAndWait(String op) throws HcsException {
    intend(ExitType.FORCED_EXIT, op);
    sub.killAll(id);
    awaitExitOrFail(op, KILL_WAIT);
  }

  private void intend(ExitType type, String op) throws HcsException {
    try {
      record.intend(type);
    } catch (IOException e) {
      throw new HcsException(op, id, HResult.E_FAIL, "cannot record the exit: " + e, e);
    }
  }

  Properties properties(PropertyQuery query) throws HcsException {
    Properties p = sub.properties(id);
    List<PropertyType> types = query.propertyTypes();
    boolean stats = types.contains(PropertyType.STATISTICS) || types.contains(PropertyType.MEMORY);
    boolean stopped = p.state() == State.STOPPED;
    return new Properties(
        p.id(),
        p.systemType(),
        p.runtimeOsType(),
        p.name(),
        p.owner(),
        p.runtimeId(),
        p.state(),
        p.stopped(),
        stopped ? record.outcome() : null,
        stats ? p.statistics() : null,
        types.contains(PropertyType.PROCESS_LIST) ? p.processList() : List.of(),
        types.contains(PropertyType.TERMINATE_ON_LAST_HANDLE_CLOSED)
            ? record.terminateOnClose()
            : null,
        p.systemGuid(),
        p.hostingSystemId());
  }

  void modify(ModifySettingRequest request) throws HcsException {
    synchronized (lock) {
      SystemStates.check(Call.MODIFY, sub.state(id), id);
      sub.update(id, ResourceSettings.toResources(id, request));
    }
  }

  ComputeProcess createProcess(ProcessParameters parameters) throws HcsException {
    synchronized (lock) {
      SystemStates.check(Call.CREATE_PROCESS, sub.state(id), id);
      return sub.createProcess(id, parameters, s -> emit(new HcsEvent.ProcessExited(id, s)));
    }
  }

  ComputeProcess openProcess(int pid) throws HcsException {
    sub.state(id);
    return sub.openProcess(id, pid, s -> emit(new HcsEvent.ProcessExited(id, s)));
  }

  SystemExitStatus waitForExit(Duration timeout) throws HcsException {
    try {
      return exit.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      throw new HcsException(
          "wait", id, HResult.HCS_E_OPERATION_TIMEOUT, "the system still runs after " + timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HcsException("wait", id, HResult.E_FAIL, "interrupted", e);
    } catch (ExecutionException e) {
      throw new HcsException("wait", id, HResult.E_FAIL, String.valueOf(e.getCause()), e);
    }
  }

  private boolean awaitExit(Duration timeout) throws HcsException {
    try {
      waitForExit(timeout);
      return true;
    } catch (HcsException e) {
      if (e.hresult() == HResult.HCS_E_OPERATION_TIMEOUT) {
        return false;
      }
      throw e;
    }
  }

  private void awaitExitOrFail(String op, Duration timeout) throws HcsException {
    if (!awaitExit(timeout)) {
      throw new HcsException(
          op, id, HResult.HCS_E_OPERATION_TIMEOUT, "the system did not stop within " + timeout);
    }
  }

  void onEvent(HcsEventListener listener) {
    listeners.add(listener);
  }

  /** The watcher saw the init gone: settle the ExitType, then tell waiters and listeners. */
  private void initExited() {
    ExitType type;
    try {
      type = record.settle();
    } catch (IOException e) {
      type = record.outcome();
    }
    // Status is the HRESULT of the stop: S_OK unless the host forced it.
    int status = type == ExitType.FORCED_EXIT ? HResult.HCS_E_TERMINATED.code() : 0;
    SystemExitStatus s = new SystemExitStatus(status, type, List.of());
    synchronized (completion) {
      exit.complete(s);
      emit(new HcsEvent.SystemExited(id, s));
    }
  }

  private void emit(HcsEvent event) {
    try {
      events.execute(
          () -> {
            for (HcsEventListener l : listeners) {
              try {
                l.onEvent(event);
              } catch (RuntimeException e) {
                // One failing listener must not keep the others from their events.
              }
            }
          });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // Every handle is closed: nobody is listening any more.
    }
  }

  /**
   * One handle fewer; the last one terminates the system if asked to, removes it once stopped and
   * stops watching it.
   */
  void releaseHandle() throws HcsException {
    synchronized (this) {
      if (--handles > 0) {
        return;
      }
    }
    try {
      if (owned) {
        State s = sub.state(id);
        if (s != State.STOPPED && record.terminateOnClose()) {
          terminate();
          s = State.STOPPED;
        }
        if (s == State.STOPPED) {
          sub.remove(id);
        }
      }
    } catch (HcsException e) {
      if (e.hresult() != HResult.HCS_E_SYSTEM_NOT_FOUND) {
        throw e; // removed meanwhile by someone else: nothing left to release
      }
    } finally {
      stopWatching();
      onLastClose.run();
    }
  }

  private void stopWatching() {
    AutoCloseable w = watch;
    if (w != null) {
      try {
        w.close();
      } catch (Exception e) {
        // The watch thread ends on its own once the init is gone.
      }
    }
    events.shutdown(); // pending events are still delivered
  }
}
