package dev.silo.daemon.docker;

import com.fasterxml.jackson.databind.JsonNode;
import dev.silo.api.HResult;
import dev.silo.api.HcsException;
import dev.silo.api.HostComputeService;
import dev.silo.daemon.Log;
import dev.silo.daemon.http.ApiException;
import dev.silo.hcs.ComputeService;
import dev.silo.hcs.CreateRequest;
import dev.silo.hcs.LogOptions;
import dev.silo.hcs.MonitorOptions;
import dev.silo.hcs.MonitoredState;
import dev.silo.hcs.Monitors;
import dev.silo.hcs.Signals;
import dev.silo.hcs.Status;
import dev.silo.schema.oci.Spec;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The life of Docker containers over the compute service: each run is one monitored compute system
 * (created at {@code docker create} so attach can come before start, and made again for every later
 * start, as Docker on Windows makes a new HCS system per start): its state, start, signals, stop,
 * freeze and delete, and its logs. What follows an exit (watchers, restart policies, AutoRemove,
 * the boot rule) is {@link ContainerExits}.
 */
public final class ContainerRuntime {
  private static final long POLL_MS = 50;

  /** The compute systems' Owner, as Docker on Windows sets it (libcontainerd's defaultOwner). */
  static final String OWNER = "docker";

  private final ComputeService compute;
  private final Monitors monitors;
  private final ContainerStore store;
  private final EventLog events;
  private final Log log;
  private final InstantSource clock;
  private final Map<String, Live> live = new ConcurrentHashMap<>();
  private final ContainerExits exits;
  private final ContainerHealth health;

  /** What the daemon knows of one container between requests. */
  static final class Live {
    final Object lock = new Object();
    volatile long exits;
    volatile boolean watching;
    volatile boolean removed;
    volatile int lastExit;

    /** The restart policy's state since the last start by the user (guarded by {@link #lock}). */
    @Nullable RestartManager restarts;

    /** A restart the policy decided and that waits for its delay (State.Restarting). */
    volatile @Nullable Pending pending;
  }

  /**
   * A restart waiting for its delay after an exit with {@code exitCode}; compared by identity (each
   * exit makes its own, and a waiting restart goes ahead only while it is still the current one).
   */
  static final class Pending {
    private final int exitCode;
    private final String finishedAt;

    Pending(int exitCode, String finishedAt) {
      this.exitCode = exitCode;
      this.finishedAt = finishedAt;
    }

    int exitCode() {
      return exitCode;
    }

    String finishedAt() {
      return finishedAt;
    }
  }

  /** A container's state as Docker reports it. */
  public record State(String status, int pid, int exitCode, String startedAt, String finishedAt) {
    /** Docker's State.Running: also while paused, and while a restart waits (Restarting). */
    boolean running() {
      return status.equals("running") || status.equals("paused") || status.equals("restarting");
    }
  }

  /**
   * The runtime over {@code compute}; health probes run as processes opened through {@code hcs}.
   */
  public ContainerRuntime(
      ComputeService compute,
      HostComputeService hcs,
      ContainerStore store,
      EventLog events,
      Log log) {
    this(compute, hcs, store, events, log, InstantSource.system());
  }

  ContainerRuntime(
      ComputeService compute,
      HostComputeService hcs,
      ContainerStore store,
      EventLog events,
      Log log,
      InstantSource clock) {
    this.clock = clock;
    this.compute = compute;
    this.monitors = new Monitors(compute);
    this.store = store;
    this.events = events;
    this.log = log;
    this.exits = new ContainerExits(this, store, events, log, clock);
    this.health = new ContainerHealth(hcs, store, events, log);
  }

  /** The health checks of the running containers. */
  ContainerHealth health() {
    return health;
  }

  /** The exit side: watchers, restart policies, AutoRemove, the boot rule. */
  public ContainerExits exits() {
    return exits;
  }

  public Monitors monitors() {
    return monitors;
  }

  Live live(String id) {
    return live.computeIfAbsent(id, k -> new Live());
  }

  /** The counts {@code info} shows; {@code images} counts the images. */
  public SystemApi.Counts counts(java.util.function.IntSupplier images) {
    return new SystemApi.Counts() {
      private long count(String status) {
        return store.list().stream().filter(c -> state(c).status().equals(status)).count();
      }

      @Override
      public int containers() {
        return store.list().size();
      }

      @Override
      public int running() {
        return (int) count("running");
      }

      @Override
      public int paused() {
        return (int) count("paused");
      }

      @Override
      public int stopped() {
        return containers() - running() - paused();
      }

      @Override
      public int images() {
        return images.getAsInt();
      }
    };
  }

  /** The state from the compute system and its monitor; a container without one has exited. */
  public State state(ContainerRecord c) {
    Live l = live.get(c.id());
    Pending p = l == null ? null : l.pending;
    if (p != null) {
      return new State("restarting", 0, p.exitCode(), c.startedAt(), p.finishedAt());
    }
    MonitoredState m;
    try {
      m = monitors.state(c.id());
    } catch (HcsException e) {
      return new State(
          c.hasRun() ? "exited" : "created", 0, c.exitCode(), c.startedAt(), c.finishedAt());
    }
    return switch (m.status()) {
      case CREATING, CREATED ->
          new State(
              c.hasRun() ? "exited" : "created", 0, c.exitCode(), c.startedAt(), c.finishedAt());
      case RUNNING -> new State("running", m.initPid(), 0, c.startedAt(), c.finishedAt());
      case PAUSED -> new State("paused", m.initPid(), 0, c.startedAt(), c.finishedAt());
      case STOPPED ->
          new State(
              "exited",
              0,
              m.exitCode() == null ? -1 : m.exitCode(),
              c.startedAt(),
              m.finishedAt() == null ? c.finishedAt() : m.finishedAt());
    };
  }

  /**
   * Creates the compute system of the next run (monitored); the old one, if any, is deleted first
   * and its log kept. On failure nothing of the system is left.
   */
  public void prepare(ContainerRecord c, Spec spec) throws ApiException {
    try {
      compute.state(c.id());
      archiveLog(c.id());
      compute.delete(c.id(), true);
    } catch (HcsException e) {
      // no system yet
    }
    JsonNode logConfig = c.hostConfig().path("LogConfig").path("Config");
    Map<String, String> opts = new java.util.HashMap<>();
    logConfig.properties().forEach(e -> opts.put(e.getKey(), e.getValue().asText()));
    LogOptions logOptions;
    try {
      logOptions = LogOptions.parse(opts);
    } catch (IllegalArgumentException e) {
      throw ApiException.badParameter(String.valueOf(e.getMessage()));
    }
    boolean openStdin = c.config().path("OpenStdin").asBoolean(false);
    try {
      monitors.create(
          new CreateRequest(c.id(), store.dir(c.id()), spec, null, null, false, 0, false, OWNER),
          new MonitorOptions(logOptions, openStdin));
    } catch (HcsException e) {
      throw hcsError(e);
    }
  }

  /** Whether the compute system of the next run is there (Created). */
  public boolean prepared(String id) {
    try {
      return compute.state(id).status() == Status.CREATED;
    } catch (HcsException e) {
      return false;
    }
  }

  /** Starts the prepared run and watches it. */
  public void start(ContainerRecord c) throws ApiException {
    start(c, false);
  }

  /**
   * Starts the prepared run; {@code policy}: a restart policy's (counted when it was decided),
   * otherwise the user's, which starts the policy afresh (dockerd's ResetRestartManager).
   */
  public void start(ContainerRecord c, boolean policy) throws ApiException {
    Live l = live(c.id());
    try {
      compute.start(c.id());
    } catch (HcsException e) {
      throw hcsError(e);
    }
    synchronized (l.lock) {
      if (!policy) {
        if (l.restarts != null) {
          l.restarts.cancel();
        }
        l.restarts = null;
        l.pending = null;
      }
      store.update(c.id(), r -> r.started(now(), policy));
    }
    events.publish("container", "start", c.id(), attrs(c));
    ContainerRecord started = store.get(c.id());
    if (started != null) {
      health.started(started);
    }
    exits.watch(c.id());
  }

  /**
   * Waits until {@code done} holds (bounded by {@code timeoutMs}, or forever with a negative one).
   */
  public boolean await(String id, java.util.function.BooleanSupplier done, long timeoutMs)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    while (!done.getAsBoolean()) {
      if (timeoutMs >= 0 && System.nanoTime() > deadline) {
        return false;
      }
      Live l = live(id);
      synchronized (l) {
        l.wait(POLL_MS);
      }
    }
    return true;
  }

  /** Freezes or thaws every process of the container (HcsPause/ResumeComputeSystem). */
  public void freeze(ContainerRecord c, boolean pause) throws ApiException {
    try {
      if (pause) {
        compute.pause(c.id());
        health.stopped(c.id());
      } else {
        compute.resume(c.id());
        health.resume(c.id());
      }
    } catch (HcsException e) {
      throw hcsError(e);
    }
  }

  /** The host pids of the container's processes. */
  public java.util.List<Integer> pids(ContainerRecord c) throws ApiException {
    try {
      return compute.pids(c.id());
    } catch (HcsException e) {
      throw hcsError(e);
    }
  }

  /** Sends a signal to the container's init. */
  public void signal(ContainerRecord c, int signal) throws ApiException {
    try {
      compute.signal(c.id(), signal, false);
    } catch (HcsException e) {
      if (e.hresult() == HResult.HCS_E_SYSTEM_ALREADY_STOPPED) {
        throw ApiException.conflict("Container " + c.id() + " is not running");
      }
      throw hcsError(e);
    }
  }

  /** Stops: the stop signal, then SIGKILL after {@code seconds} (dockerd's order). */
  public void stop(ContainerRecord c, int seconds) throws ApiException, InterruptedException {
    if (exits.stoppedByUser(c, true)) {
      events.publish("container", "stop", c.id(), attrs(c));
      return; // a restart was waiting: nothing runs
    }
    String stopSignal = c.config().path("StopSignal").asText("");
    int sig = stopSignal.isEmpty() ? Signals.SIGTERM : Signals.parse(stopSignal).orElse(15);
    try {
      compute.signal(c.id(), sig, false);
    } catch (HcsException e) {
      // exited meanwhile
    }
    if (seconds < 0 || !await(c.id(), () -> !state(c).running(), seconds * 1000L)) {
      try {
        compute.signal(c.id(), Signals.SIGKILL, true);
      } catch (HcsException e) {
        // exited meanwhile
      }
      await(c.id(), () -> !state(c).running(), 30_000);
    }
    events.publish("container", "stop", c.id(), attrs(c));
  }

  /** Deletes the compute system (killing what runs) and forgets the container. */
  public void delete(ContainerRecord c) throws ApiException {
    Live l = live(c.id());
    synchronized (l.lock) {
      exits.manager(l, c).cancel();
      l.pending = null;
    }
    try {
      compute.delete(c.id(), true);
    } catch (HcsException e) {
      throw hcsError(e);
    }
  }

  /** Wakes the waiters on {@code removed}: the container and its record are gone. */
  public void removed(String id) {
    Live l = live(id);
    l.removed = true;
    health.removed(id);
    synchronized (l) {
      l.notifyAll();
    }
    live.remove(id);
  }

  /** The log files of the container: earlier runs' first, then the current run's. */
  public java.util.List<Path> logFiles(String id) {
    java.util.List<Path> out = new java.util.ArrayList<>();
    Path prev = previousLog(id);
    if (Files.exists(prev)) {
      out.add(prev);
    }
    out.add(monitors.logFile(id));
    return out;
  }

  Path previousLog(String id) {
    return store.dir(id).resolve("previous-json.log");
  }

  /** Appends the current run's log (rotated files oldest first) to the earlier runs' log. */
  private void archiveLog(String id) {
    try (OutputStream out =
        Files.newOutputStream(
            previousLog(id), StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
      for (Path f : monitors.logs(id).files()) {
        Files.copy(f, out); // streamed: a big log never sits in the daemon's heap
      }
    } catch (IOException e) {
      log.warn("cannot keep the log of " + id + ": " + e.getMessage());
    }
  }

  static Map<String, String> attrs(ContainerRecord c) {
    Map<String, String> a = new java.util.HashMap<>();
    a.put("image", c.image());
    a.put("name", c.name().substring(1));
    c.config().path("Labels").properties().forEach(e -> a.put(e.getKey(), e.getValue().asText()));
    return a;
  }

  static String now() {
    return Instant.now().toString();
  }

  /** An HCS error as Docker on Windows reports it, with the status of its family. */
  static ApiException hcsError(HcsException e) {
    int status =
        switch (e.hresult()) {
          case HCS_E_SYSTEM_NOT_FOUND -> 404;
          case HCS_E_INVALID_STATE, HCS_E_SYSTEM_ALREADY_EXISTS -> 409;
          case E_INVALIDARG, HCS_E_INVALID_JSON, ERROR_FILE_NOT_FOUND -> 400;
          default -> 500;
        };
    return new ApiException(status, "hcsshim::" + String.valueOf(e.getMessage()), e);
  }
}
