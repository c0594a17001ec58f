package dev.silo.daemon.docker;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.silo.api.ComputeProcess;
import dev.silo.api.ComputeSystem;
import dev.silo.api.HResult;
import dev.silo.api.HcsException;
import dev.silo.api.HostComputeService;
import dev.silo.daemon.Log;
import dev.silo.schema.hcs.ProcessParameters;
import dev.silo.schema.hcs.ProcessStatus;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Docker health checks, as dockerd's health monitor runs them: while a container with a {@link
 * HealthCheck} runs, one virtual thread per container runs the probe as an exec in the container
 * every interval (the first after one interval), kills it after the timeout, keeps the last {@value
 * #MAX_LOG} results and derives State.Health (starting → healthy/unhealthy, the failing streak,
 * failures within the start period not counted), publishing {@code health_status: …} on each
 * change. A stop, pause or removal ends the monitor (and leaves the status unhealthy, as dockerd).
 */
final class ContainerHealth {
  static final int MAX_LOG = 5;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final HostComputeService hcs;
  private final ContainerStore store;
  private final EventLog events;
  private final Log log;
  private final Map<String, Monitor> monitors = new ConcurrentHashMap<>();

  /** One probe result, as moby's HealthcheckResult. */
  record Result(Instant start, Instant end, int exitCode, String output) {}

  /** The health state of one container and its probe thread (guarded by itself). */
  private static final class Monitor {
    final HealthCheck check;
    final Instant started;
    final ArrayDeque<Result> results = new ArrayDeque<>();
    String status = "starting";
    int failingStreak;
    @Nullable Thread thread;
    @Nullable ComputeProcess probe;

    Monitor(HealthCheck check, Instant started) {
      this.check = check;
      this.started = started;
    }
  }

  ContainerHealth(HostComputeService hcs, ContainerStore store, EventLog events, Log log) {
    this.hcs = hcs;
    this.store = store;
    this.events = events;
    this.log = log;
  }

  /** A run started (dockerd's initHealthMonitor): status starting, streak 0, a new monitor. */
  void started(ContainerRecord c) {
    HealthCheck check = HealthCheck.of(c.config());
    if (check == null) {
      return;
    }
    Instant started = instant(c.startedAt());
    Monitor m = new Monitor(check, started);
    Monitor old = monitors.put(c.id(), m);
    if (old != null) {
      synchronized (old) {
        m.results.addAll(old.results); // the log is kept across restarts
        halt(old);
      }
    }
    resume(c.id());
  }

  /** The container runs again after a pause (dockerd's updateHealthMonitor): probes resume. */
  void resume(String id) {
    Monitor m = monitors.get(id);
    if (m == null) {
      return;
    }
    synchronized (m) {
      if (m.thread == null) {
        m.thread =
            Thread.ofVirtual().name("health-" + id.substring(0, 12)).start(() -> probeLoop(id, m));
      }
    }
  }

  /** The container stopped or paused: the monitor ends and the status is unhealthy. */
  void stopped(String id) {
    Monitor m = monitors.get(id);
    if (m != null) {
      synchronized (m) {
        halt(m);
      }
    }
  }

  /** The container is gone. */
  void removed(String id) {
    Monitor m = monitors.remove(id);
    if (m != null) {
      synchronized (m) {
        halt(m);
      }
    }
  }

  private static void halt(Monitor m) {
    Thread t = m.thread;
    if (t == null) {
      return;
    }
    m.thread = null;
    m.status = "unhealthy";
    t.interrupt();
    ComputeProcess p = m.probe;
    if (p != null) {
      try {
        p.terminate();
      } catch (HcsException e) {
        // it has exited
      }
    }
  }

  /** Health.Status, or "none" for a container without a health check (ps's health filter). */
  String status(String id) {
    Monitor m = monitors.get(id);
    if (m == null) {
      return "none";
    }
    synchronized (m) {
      return m.status;
    }
  }

  /** State.Health of inspect, or null without a health check that ran. */
  @Nullable ObjectNode view(String id) {
    Monitor m = monitors.get(id);
    if (m == null) {
      return null;
    }
    ObjectNode o = Json.object();
    synchronized (m) {
      o.put("Status", m.status).put("FailingStreak", m.failingStreak);
      ArrayNode logs = o.putArray("Log");
      for (Result r : m.results) {
        logs.addObject()
            .put("Start", r.start().toString())
            .put("End", r.end().toString())
            .put("ExitCode", r.exitCode())
            .put("Output", r.output());
      }
    }
    return o;
  }

  private void probeLoop(String id, Monitor m) {
    try {
      while (true) {
        Thread.sleep(nextInterval(m));
        if (!current(id, m)) {
          return;
        }
        Instant start = Instant.now();
        Result r = probe(id, m, start);
        if (!record(id, m, r)) {
          return;
        }
      }
    } catch (InterruptedException e) {
      // stopped: the monitor ends
    }
  }

  /** dockerd's getInterval: the start interval while starting, never past the start period. */
  private static Duration nextInterval(Monitor m) {
    HealthCheck h = m.check;
    Duration elapsed = Duration.between(m.started, Instant.now());
    if (elapsed.compareTo(h.startPeriod()) >= 0) {
      return h.interval();
    }
    Duration left = h.startPeriod().minus(elapsed);
    if (left.compareTo(h.interval()) < 0) {
      return left;
    }
    synchronized (m) {
      return m.status.equals("starting") ? h.startInterval() : h.interval();
    }
  }

  private boolean current(String id, Monitor m) {
    synchronized (m) {
      return monitors.get(id) == m && m.thread == Thread.currentThread();
    }
  }

  /** One run of the probe: an exec in the container, killed after the timeout. */
  private Result probe(String id, Monitor m, Instant start) throws InterruptedException {
    ContainerRecord c = store.get(id);
    if (c == null) {
      return new Result(start, Instant.now(), -1, "No such container: " + id);
    }
    String execId = execId();
    Map<String, String> a = new java.util.HashMap<>(ContainerRuntime.attrs(c));
    a.put("execID", execId);
    events.publish("container", "exec_create: " + m.check.commandLine(), id, a);
    ProcessParameters params =
        new ProcessParameters(
            null,
            null,
            m.check.command(),
            Json.text(c.config(), "User"),
            Json.text(c.config(), "WorkingDir"),
            Map.of(),
            null,
            false,
            false,
            true,
            true,
            List.of(),
            null);
    ComputeSystem system;
    ComputeProcess p;
    try {
      system = hcs.open(id);
    } catch (HcsException e) {
      return new Result(start, Instant.now(), -1, String.valueOf(e.getMessage()));
    }
    try {
      try {
        p = system.createProcess(params);
      } catch (HcsException e) {
        return new Result(
            start, Instant.now(), -1, "OCI runtime exec failed: " + e.detail() + ": unknown");
      }
      synchronized (m) {
        if (m.thread != Thread.currentThread()) {
          terminate(p);
          p.close();
          throw new InterruptedException();
        }
        m.probe = p;
      }
      events.publish("container", "exec_start: " + m.check.commandLine(), id, a);
      return await(m, p, start, id, a);
    } finally {
      synchronized (m) {
        m.probe = null;
      }
      try {
        system.close();
      } catch (Exception e) {
        // the handle only
      }
    }
  }

  private Result await(
      Monitor m, ComputeProcess p, Instant start, String id, Map<String, String> attrs)
      throws InterruptedException {
    ProbeOutput out = new ProbeOutput();
    // platform threads: the pipes are read by blocking native calls, which would hold a virtual
    // thread's carrier for as long as the probe runs (and the daemon has one carrier per core)
    Thread o =
        Thread.ofPlatform()
            .daemon()
            .name("health-out-" + id.substring(0, 12))
            .start(() -> out.drain(p.stdout()));
    Thread e =
        Thread.ofPlatform()
            .daemon()
            .name("health-err-" + id.substring(0, 12))
            .start(() -> out.drain(p.stderr()));
    try {
      Integer code;
      try {
        ProcessStatus s = p.waitForExit(m.check.timeout());
        code = s.exitCode() == null ? -1 : s.exitCode().intValue();
      } catch (HcsException ex) {
        if (ex.hresult() != HResult.HCS_E_OPERATION_TIMEOUT) {
          return new Result(start, Instant.now(), -1, String.valueOf(ex.getMessage()));
        }
        code = null;
        terminate(p);
        try {
          p.waitForExit(Duration.ofSeconds(10));
        } catch (HcsException again) {
          log.warn("health probe of " + id + " survived SIGKILL: " + again.getMessage());
        }
      }
      o.join(Duration.ofSeconds(5));
      e.join(Duration.ofSeconds(5));
      Map<String, String> a = new java.util.HashMap<>(attrs);
      a.put("exitCode", Integer.toString(code == null ? 137 : code));
      events.publish("container", "exec_die", id, a);
      if (code == null) {
        String limit = HealthCheck.goDuration(m.check.timeout());
        String text = out.text();
        return new Result(
            start,
            Instant.now(),
            -1,
            text.isEmpty()
                ? "Health check exceeded timeout (" + limit + ")"
                : "Health check exceeded timeout (" + limit + "): " + text);
      }
      return new Result(start, Instant.now(), code, out.text());
    } finally {
      o.interrupt();
      e.interrupt();
      p.close();
    }
  }

  private static void terminate(ComputeProcess p) {
    try {
      p.terminate();
    } catch (HcsException ex) {
      // exited meanwhile
    }
  }

  /** dockerd's handleProbeResult; false when the monitor was stopped meanwhile. */
  private boolean record(String id, Monitor m, Result r) {
    String before;
    String after;
    ContainerRecord c;
    synchronized (m) {
      if (m.thread != Thread.currentThread()) {
        return false;
      }
      before = m.status;
      if (m.results.size() >= MAX_LOG) {
        m.results.removeFirst();
      }
      m.results.addLast(r);
      if (r.exitCode() == 0) {
        m.failingStreak = 0;
        m.status = "healthy";
      } else {
        boolean count =
            !m.status.equals("starting")
                || Duration.between(m.started, r.start()).compareTo(m.check.startPeriod()) >= 0;
        if (count && ++m.failingStreak >= m.check.retries()) {
          m.status = "unhealthy";
        }
      }
      after = m.status;
      c = store.get(id);
    }
    if (!after.equals(before) && c != null) {
      events.publish("container", "health_status: " + after, id, ContainerRuntime.attrs(c));
    }
    return true;
  }

  private static String execId() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  private static Instant instant(String rfc3339) {
    try {
      return Instant.parse(rfc3339);
    } catch (DateTimeParseException e) {
      return Instant.now();
    }
  }
}
