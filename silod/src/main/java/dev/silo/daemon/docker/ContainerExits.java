package dev.silo.daemon.docker;

import dev.silo.daemon.Log;
import dev.silo.daemon.docker.ContainerRuntime.Live;
import dev.silo.daemon.docker.ContainerRuntime.Pending;
import dev.silo.daemon.docker.ContainerRuntime.State;
import dev.silo.daemon.http.ApiException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * What follows a container's exit, as dockerd's monitor does it: a watcher per running container
 * records the exit, then the restart policy ({@link RestartManager}: dockerd's backoff) restarts it
 * or AutoRemove removes it; after a daemon restart, running containers are watched again and
 * stopped ones get dockerd's boot rule. A stop or kill by the user cancels pending restarts.
 */
public final class ContainerExits {
  private static final long POLL_MS = 50;

  private final ContainerRuntime runtime;
  private final ContainerStore store;
  private final EventLog events;
  private final Log log;
  private final InstantSource clock;
  private @Nullable Remover remover;

  ContainerExits(
      ContainerRuntime runtime,
      ContainerStore store,
      EventLog events,
      Log log,
      InstantSource clock) {
    this.runtime = runtime;
    this.store = store;
    this.events = events;
    this.log = log;
    this.clock = clock;
  }

  /** Removes a container whose AutoRemove is set, after its exit. */
  @FunctionalInterface
  public interface Remover {
    void remove(ContainerRecord c) throws ApiException;
  }

  void setRemover(Remover r) {
    this.remover = r;
  }

  /**
   * Re-attaches after a daemon restart: a watcher for every container that still runs; the others
   * get what dockerd gives stopped containers at boot: their restart policy (with the exit the
   * monitor recorded, if the container died while the daemon was down), which starts them at once
   * as a start by the user would, or else AutoRemove.
   */
  public void reattach() {
    for (ContainerRecord c : store.list()) {
      State s = runtime.state(c);
      if (s.running()) {
        log.info("container " + c.shortId() + " still running (pid " + s.pid() + "): re-attached");
        // as dockerd restoring a running container: the health check starts again (starting)
        runtime.health().started(c);
        if (s.status().equals("paused")) {
          runtime.health().stopped(c.id());
        }
        watch(c.id());
        continue;
      }
      if (!c.hasRun()) {
        continue;
      }
      if (!s.startedAt().isEmpty()) {
        record(c.id(), s, c.startedAt());
      }
      ContainerRecord now = store.get(c.id());
      if (now == null) {
        continue;
      }
      boolean restart =
          new RestartManager(RestartManager.Policy.of(now.hostConfig()), now.restartCount(), clock)
              .shouldRestart(now.exitCode(), now.manuallyStopped(), instant(now.startedAt()))
              .isPresent();
      if (restart && bootStarter != null) {
        log.info(
            "container "
                + c.shortId()
                + " exited (code "
                + now.exitCode()
                + "): started again by its restart policy "
                + RestartManager.Policy.of(now.hostConfig()).name());
        Consumer<ContainerRecord> starter = bootStarter;
        Thread.ofVirtual().name("boot-" + c.shortId()).start(() -> starter.accept(now));
      } else if (now.hostConfig().path("AutoRemove").asBoolean(false) && remover != null) {
        try {
          remover.remove(now);
        } catch (ApiException e) {
          log.warn("cannot auto-remove " + c.id() + ": " + e.getMessage());
        }
      }
    }
  }

  private @Nullable Consumer<ContainerRecord> bootStarter;

  /** Starts a container at daemon start because of its restart policy (a start by the user). */
  public void setBootStarter(Consumer<ContainerRecord> s) {
    this.bootStarter = s;
  }

  void watch(String id) {
    Live l = runtime.live(id);
    synchronized (l.lock) {
      if (l.watching) {
        return;
      }
      l.watching = true;
    }
    Thread.ofVirtual().name("watch-" + id.substring(0, 12)).start(() -> watchUntilExit(id, l));
  }

  private void watchUntilExit(String id, Live l) {
    String run = ""; // the StartedAt of the run last seen running: the exit found is that run's
    try {
      while (true) {
        ContainerRecord c = store.get(id);
        if (c == null) {
          l.watching = false;
          return;
        }
        State s = runtime.state(c);
        if (!s.running()) {
          runtime.health().stopped(id);
          record(id, s, run.isEmpty() ? c.startedAt() : run);
          // before the policies: a restart watches its new run with a watcher of its own
          l.watching = false;
          exited(id, l, s, run.isEmpty() ? c.startedAt() : run);
          return;
        }
        run = c.startedAt();
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(POLL_MS));
      }
    } catch (RuntimeException e) {
      l.watching = false;
      throw e;
    }
  }

  /** Records the exit of the run that started at {@code run}, unless a newer run has started. */
  private void record(String id, State s, String run) {
    try {
      store.update(
          id, r -> r.startedAt().equals(run) ? r.finished(s.finishedAt(), s.exitCode()) : r);
    } catch (ApiException e) {
      log.warn("cannot record the exit of " + id + ": " + e.getMessage());
    }
  }

  /**
   * After the exit of the run that started at {@code run}: the die event, then the restart policy
   * or AutoRemove, unless a newer run has started meanwhile (a restart or start by the user while
   * this watcher waited for the lock): that run is not restarted (killed) or removed for the old
   * exit.
   */
  private void exited(String id, Live l, State s, String run) {
    ContainerRecord c = store.get(id);
    if (c == null) {
      return;
    }
    Instant started = instant(c.startedAt());
    Optional<Duration> delay = Optional.empty();
    Pending pending = new Pending(s.exitCode(), s.finishedAt());
    boolean stale;
    synchronized (l.lock) {
      c = store.get(id); // a removal may have come first
      if (c == null) {
        return;
      }
      stale = !c.startedAt().equals(run); // a newer run started: the user's start decided
      if (!stale) {
        delay = manager(l, c).shouldRestart(s.exitCode(), c.manuallyStopped(), started);
      }
      if (delay.isPresent()) {
        // dockerd counts the restart when it decides it, so inspect shows it while it waits
        try {
          store.update(id, r -> r.withRestarts(r.restartCount() + 1, r.manuallyStopped()));
        } catch (ApiException e) {
          log.warn("cannot record the restart count of " + id + ": " + e.getMessage());
        }
        l.pending = pending;
      }
    }
    Map<String, String> a = new java.util.HashMap<>(ContainerRuntime.attrs(c));
    a.put("exitCode", Integer.toString(s.exitCode()));
    a.put(
        "execDuration",
        Long.toString(Math.max(0, Duration.between(started, clock.instant()).toSeconds())));
    events.publish("container", "die", id, a);
    l.exits++;
    synchronized (l) {
      l.notifyAll();
    }
    if (delay.isPresent()) {
      restartAfter(id, l, pending, delay.get());
    } else if (!stale && c.hostConfig().path("AutoRemove").asBoolean(false) && remover != null) {
      try {
        remover.remove(c);
      } catch (ApiException e) {
        log.warn("cannot auto-remove " + id + ": " + e.getMessage());
      }
    }
  }

  /** The container's restart manager, made from its record after a start by the user. */
  RestartManager manager(Live l, ContainerRecord c) {
    RestartManager m = l.restarts;
    if (m == null) {
      m = new RestartManager(RestartManager.Policy.of(c.hostConfig()), c.restartCount(), clock);
      l.restarts = m;
    }
    return m;
  }

  /** Waits out the delay on a virtual thread, then restarts unless the wait was canceled. */
  private void restartAfter(String id, Live l, Pending p, Duration delay) {
    Thread.ofVirtual()
        .name("restart-" + id.substring(0, 12))
        .start(
            () -> {
              long deadline = System.nanoTime() + delay.toNanos();
              try {
                synchronized (l) {
                  long left;
                  while (l.pending == p && (left = deadline - System.nanoTime()) > 0) {
                    TimeUnit.NANOSECONDS.timedWait(l, left);
                  }
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
              }
              synchronized (l.lock) {
                ContainerRecord c = store.get(id);
                if (l.pending != p || c == null) {
                  return; // canceled by a stop, kill, start or removal
                }
                // still Restarting while the next run is made and started (the old run's system,
                // stopped, must not show through as "exited")
                try {
                  if (restarter != null) {
                    restarter.accept(c);
                  }
                } catch (RuntimeException e) {
                  log.warn("cannot restart " + id + ": " + e);
                } finally {
                  if (l.pending == p) {
                    l.pending = null;
                  }
                }
              }
              synchronized (l) {
                l.notifyAll();
              }
            });
  }

  /**
   * The user stops or kills the container: it is marked HasBeenManuallyStopped (an {@code
   * unless-stopped} policy will not restart it, even after a daemon restart) and, with {@code
   * cancel} (a stop, SIGKILL or the stop signal: dockerd's ExitOnNext), its policy restarts it no
   * more until the user starts it. Returns whether a restart was waiting (there is then no process
   * to signal).
   */
  public boolean stoppedByUser(ContainerRecord c, boolean cancel) throws ApiException {
    Live l = runtime.live(c.id());
    boolean waiting;
    synchronized (l.lock) {
      ContainerRecord now = store.get(c.id());
      waiting = l.pending != null;
      if (cancel) {
        if (now != null) {
          manager(l, now).cancel();
        }
        l.pending = null;
      }
      if (now != null && !now.manuallyStopped()) {
        store.update(now.id(), r -> r.withRestarts(r.restartCount(), true));
      }
    }
    synchronized (l) {
      l.notifyAll();
    }
    return waiting;
  }

  private static Instant instant(String rfc3339) {
    try {
      return Instant.parse(rfc3339);
    } catch (DateTimeParseException e) {
      return Instant.EPOCH;
    }
  }

  private @Nullable Consumer<ContainerRecord> restarter;

  public void setRestarter(Consumer<ContainerRecord> r) {
    this.restarter = r;
  }
}
