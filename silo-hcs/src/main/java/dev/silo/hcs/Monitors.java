package dev.silo.hcs;

import dev.silo.api.HResult;
import dev.silo.api.HcsException;
import dev.silo.init.MonitorConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Containers owned by a {@code silo-monitor} each (daemon mode, as conmon owns podman's): created
 * through the same compute service and plan as runhcs's, but their output is logged in json-file
 * format, their exit is recorded in {@code exit.json}, and they outlive the JVM that created them.
 * A new instance over the same state root re-attaches from the state directories alone.
 */
public final class Monitors {
  /** How long a monitor may take to record an exit once the init is gone (it drains the pipes). */
  private static final long EXIT_RECORD_MS = 5_000;

  private final ComputeService service;

  public Monitors(ComputeService service) {
    this.service = service;
  }

  /**
   * Creates a monitored system (HcsCreateComputeSystem; start it with {@link
   * ComputeService#start}). On any failure nothing is left: no monitor, cgroup, mount or state.
   */
  public void create(CreateRequest req, MonitorOptions opts) throws HcsException {
    service.create(req.withMonitor(opts));
  }

  /** Creates a monitored system from its HCS document (see {@link ComputeService#createSystem}). */
  public void createSystem(
      String id, dev.silo.schema.hcs.ComputeSystem doc, CreateOptions opts, MonitorOptions m)
      throws HcsException {
    service.createSystem(id, doc, opts.withMonitor(m));
  }

  /**
   * The state of a monitored system from its state directory: Stopped with the recorded exit once
   * {@code exit.json} is there; while the init is gone and its monitor still records the exit, this
   * waits (bounded) for the record.
   */
  public MonitoredState state(String id) throws HcsException {
    ContainerState s = service.state(id);
    Path dir = service.store().dir(id);
    int monitor = MonitorFiles.readPid(dir, MonitorConfig.MONITOR_PID);
    if (monitor < 0) {
      throw new HcsException(
          "state", id, HResult.HCS_E_INVALID_STATE, "container " + id + " has no monitor");
    }
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(EXIT_RECORD_MS);
    Status now = s.status(); // the first look reuses the record read above (watchers poll this)
    while (true) {
      MonitorFiles.Exit exit = MonitorFiles.readExit(dir);
      boolean alive = MonitorFiles.alive(monitor);
      if (exit != null) {
        return new MonitoredState(
            id,
            Status.STOPPED,
            s.pid(),
            alive ? monitor : -1,
            exit.exitCode(),
            exit.signal(),
            exit.finishedAt());
      }
      if (now != Status.STOPPED) {
        return new MonitoredState(id, now, s.pid(), alive ? monitor : -1, null, 0, null);
      }
      if (!alive && MonitorFiles.readExit(dir) != null) {
        continue; // it recorded the exit and went between the two looks
      }
      if (!alive || System.nanoTime() > deadline) {
        return new MonitoredState(id, Status.STOPPED, s.pid(), -1, -1, 0, null);
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
      now = service.state(id).status();
    }
  }

  /** Every monitored system under the root: what a restarted daemon re-attaches to. */
  public List<MonitoredState> list() throws HcsException {
    List<MonitoredState> out = new ArrayList<>();
    for (ContainerState s : service.list()) {
      if (MonitorFiles.readPid(service.store().dir(s.id()), MonitorConfig.MONITOR_PID) > 0) {
        try {
          out.add(state(s.id()));
        } catch (HcsException e) {
          // deleted while we listed it
        }
      }
    }
    return out;
  }

  /** The json-file log of a system ({@code .1} … next to it after rotations). */
  public Path logFile(String id) {
    return service.store().dir(id).resolve(id + MonitorFiles.LOG_SUFFIX);
  }

  public LogFollower logs(String id) {
    return new LogFollower(logFile(id));
  }

  /**
   * {@code docker logs --follow}: the matching entries so far, then new ones until the container
   * has stopped and its monitor recorded the exit (after its last output).
   */
  public void follow(String id, LogFollower.Query q, Consumer<LogEntry> sink)
      throws HcsException, IOException {
    Path dir = service.store().dir(id);
    service.state(id); // not found → HCS_E_SYSTEM_NOT_FOUND
    logs(id).follow(q, sink, () -> MonitorFiles.readExit(dir) != null);
  }

  /** Connects to the system's attach socket. */
  public MonitorAttach attach(String id) throws HcsException {
    service.state(id);
    Path dir = service.store().dir(id);
    boolean tty;
    try {
      var p = service.spec(id).process();
      tty = p != null && p.terminal();
      return MonitorAttach.open(attachSocket(dir), tty);
    } catch (IOException e) {
      throw new HcsException(
          "attach", id, HResult.HCS_E_INVALID_STATE, "cannot attach: " + e.getMessage(), e);
    }
  }

  /**
   * The attach socket by its own path, or through the monitor's working directory (its state
   * directory) when that path is longer than a unix socket address may be.
   */
  static Path attachSocket(Path dir) {
    Path sock = dir.resolve(MonitorConfig.ATTACH_SOCKET);
    if (sock.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length
        <= MonitorConfig.MAX_SOCKET_PATH) {
      return sock;
    }
    int monitor = MonitorFiles.readPid(dir, MonitorConfig.MONITOR_PID);
    return Path.of("/proc", Integer.toString(monitor), "cwd", MonitorConfig.ATTACH_SOCKET);
  }
}
