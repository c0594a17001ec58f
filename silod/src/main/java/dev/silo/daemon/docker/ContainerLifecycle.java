package dev.silo.daemon.docker;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.silo.daemon.Log;
import dev.silo.daemon.http.ApiException;
import dev.silo.daemon.http.ApiRequest;
import dev.silo.daemon.http.ApiResponse;
import dev.silo.daemon.http.Router;
import dev.silo.hcs.Signals;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * {@code /containers/{id}/…} lifecycle verbs: start, stop, restart, kill, wait, pause, unpause,
 * rename and remove (dockerd's routes, status codes and messages).
 */
final class ContainerLifecycle {
  private final ContainerStore store;
  private final ContainerRuntime runtime;
  private final ContainerCreate create;
  private final ContainerNetwork net;
  private final ContainerConnect connections;
  private final EventLog events;

  ContainerLifecycle(
      ContainerStore store,
      ContainerRuntime runtime,
      ContainerCreate create,
      ContainerNetwork net,
      ContainerConnect connections,
      EventLog events,
      Log log) {
    this.store = store;
    this.runtime = runtime;
    this.create = create;
    this.net = net;
    this.connections = connections;
    this.events = events;
    runtime.exits().setRemover(this::removeNow);
    runtime
        .exits()
        .setBootStarter(
            c -> {
              try {
                synchronized (runtime.live(c.id()).lock) {
                  startRecord(c);
                }
              } catch (ApiException e) {
                log.warn("start of " + c.shortId() + " failed: " + e.getMessage());
              }
            });
    runtime
        .exits()
        .setRestarter(
            c -> {
              try {
                synchronized (runtime.live(c.id()).lock) {
                  ContainerRecord now = connections.makeEndpoints(store.find(c.id()));
                  if (!runtime.prepared(now.id())) {
                    create.prepare(now);
                  }
                  runtime.start(now, true);
                }
              } catch (ApiException e) {
                log.warn("restart of " + c.shortId() + " failed: " + e.getMessage());
              }
            });
  }

  /** Adds the lifecycle routes. */
  void register(Router r) {
    r.add("POST", "/containers/{id}/start", this::start);
    r.add("POST", "/containers/{id}/stop", this::stop);
    r.add("POST", "/containers/{id}/restart", this::restart);
    r.add("POST", "/containers/{id}/kill", this::kill);
    r.add("POST", "/containers/{id}/wait", this::waitFor);
    r.add("POST", "/containers/{id}/rename", this::rename);
    r.add("DELETE", "/containers/{id}", this::remove);
    r.add("POST", "/containers/{id}/pause", req -> freeze(req, true));
    r.add("POST", "/containers/{id}/unpause", req -> freeze(req, false));
  }

  private ContainerRecord find(ApiRequest req) throws ApiException {
    return store.find(req.var("id"));
  }

  private ApiResponse freeze(ApiRequest req, boolean pause) throws ApiException {
    ContainerRecord c = find(req);
    String status = runtime.state(c).status();
    if (status.equals("restarting")) {
      throw ApiException.conflict(
          "Container " + c.id() + " is restarting, wait until the container is running");
    }
    if (pause && !status.equals("running")) {
      throw ApiException.conflict(
          "Container "
              + c.id()
              + (status.equals("paused") ? " is already paused" : " is not running"));
    }
    if (!pause && !status.equals("paused")) {
      throw ApiException.conflict("Container " + c.id() + " is not paused");
    }
    runtime.freeze(c, pause);
    events.publish("container", pause ? "pause" : "unpause", c.id(), ContainerRuntime.attrs(c));
    return ApiResponse.empty(204);
  }

  private ApiResponse start(ApiRequest req) throws ApiException {
    ContainerRecord c = find(req);
    synchronized (runtime.live(c.id()).lock) {
      if (runtime.state(c).running()) {
        return ApiResponse.empty(304);
      }
      startRecord(c);
    }
    return ApiResponse.empty(204);
  }

  /** Makes the next run's compute system if needed, then starts it. */
  void startRecord(ContainerRecord c) throws ApiException {
    ContainerRecord now = connections.makeEndpoints(store.find(c.id()));
    if (!runtime.prepared(now.id())) {
      create.prepare(now);
    }
    runtime.start(now);
  }

  private ApiResponse stop(ApiRequest req) throws ApiException {
    ContainerRecord c = find(req);
    if (!runtime.state(c).running()) {
      if (runtime.live(c.id()).watching) {
        // it has just exited and its watcher has not decided yet: no restart after this stop
        runtime.exits().stoppedByUser(c, true);
      }
      return ApiResponse.empty(304);
    }
    try {
      runtime.stop(c, timeout(req, c));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ApiException.internal("interrupted", e);
    }
    return ApiResponse.empty(204);
  }

  private static int timeout(ApiRequest req, ContainerRecord c) throws ApiException {
    String t = req.param("t");
    if (t == null || t.isEmpty()) {
      return c.config().path("StopTimeout").asInt(10);
    }
    try {
      return Integer.parseInt(t);
    } catch (NumberFormatException e) {
      throw ApiException.badParameter("invalid value for t: " + t);
    }
  }

  private ApiResponse restart(ApiRequest req) throws ApiException {
    ContainerRecord c = find(req);
    synchronized (runtime.live(c.id()).lock) {
      if (runtime.state(c).running()) {
        try {
          runtime.stop(c, timeout(req, c));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw ApiException.internal("interrupted", e);
        }
      }
      startRecord(c);
    }
    events.publish("container", "restart", c.id(), ContainerRuntime.attrs(c));
    return ApiResponse.empty(204);
  }

  private ApiResponse kill(ApiRequest req) throws ApiException {
    ContainerRecord c = find(req);
    String s = req.param("signal");
    int sig = Signals.SIGKILL;
    if (s != null && !s.isEmpty()) {
      sig = Signals.parse(s).orElseThrow(() -> ApiException.badParameter("Invalid signal: " + s));
    }
    if (!runtime.state(c).running()) {
      throw ApiException.conflict("Container " + c.id() + " is not running");
    }
    String stopSignal = c.config().path("StopSignal").asText("");
    int stopSig =
        stopSignal.isEmpty() ? Signals.SIGTERM : Signals.parse(stopSignal).orElse(Signals.SIGTERM);
    if (runtime.exits().stoppedByUser(c, sig == Signals.SIGKILL || sig == stopSig)) {
      return ApiResponse.empty(204); // a restart was waiting: no process to signal (as dockerd)
    }
    runtime.signal(c, sig);
    Map<String, String> a = new HashMap<>(ContainerRuntime.attrs(c));
    a.put("signal", Integer.toString(sig));
    events.publish("container", "kill", c.id(), a);
    return ApiResponse.empty(204);
  }

  private ApiResponse waitFor(ApiRequest req) throws ApiException {
    ContainerRecord c = find(req);
    String condition = req.param("condition");
    String cond = condition == null || condition.isEmpty() ? "not-running" : condition;
    if (!Set.of("not-running", "next-exit", "removed").contains(cond)) {
      throw ApiException.badParameter("invalid condition: \"" + cond + "\"");
    }
    ContainerRuntime.Live l = runtime.live(c.id());
    long exitsBefore = l.exits;
    String id = c.id();
    return new ApiResponse.Stream(
        200,
        Map.of(),
        "application/json",
        sink -> {
          BooleanSupplier done =
              switch (cond) {
                case "next-exit" -> () -> l.exits > exitsBefore || l.removed || !sink.isOpen();
                case "removed" -> () -> l.removed || !sink.isOpen();
                default -> {
                  // a restart policy's exit ends the wait too, as dockerd's SetRestarting does
                  yield () -> {
                    ContainerRecord now = store.get(id);
                    return now == null
                        || !runtime.state(now).running()
                        || l.exits > exitsBefore
                        || !sink.isOpen();
                  };
                }
              };
          runtime.await(id, done, -1);
          ContainerRecord now = store.get(id);
          int code = now == null ? l.lastExit : runtime.state(now).exitCode();
          ObjectNode out = Json.object().put("StatusCode", code);
          sink.send((out + "\n").getBytes(StandardCharsets.UTF_8));
        });
  }

  private ApiResponse rename(ApiRequest req) throws ApiException {
    ContainerRecord c = find(req);
    String newName = req.param("name");
    if (newName == null || newName.isEmpty()) {
      throw ApiException.badParameter("Neither old nor new names may be empty");
    }
    create.rename(c, newName);
    Map<String, String> a = new HashMap<>(ContainerRuntime.attrs(store.find(c.id())));
    a.put("oldName", c.name());
    events.publish("container", "rename", c.id(), a);
    return ApiResponse.empty(204);
  }

  private ApiResponse remove(ApiRequest req) throws ApiException {
    ContainerRecord c = find(req);
    boolean force = req.flag("force");
    String status = runtime.state(c).status();
    if (runtime.state(c).running() && !force) {
      throw ApiException.conflict(
          "cannot remove container \""
              + c.name()
              + "\": container is "
              + (status.equals("restarting") ? status : "running")
              + ": stop the container before removing or force remove");
    }
    removeNow(c);
    return ApiResponse.empty(204);
  }

  /** Deletes the compute system, the endpoint and the record (scratch with it). */
  void removeNow(ContainerRecord c) throws ApiException {
    synchronized (runtime.live(c.id()).lock) {
      if (store.get(c.id()) == null) {
        return;
      }
      ContainerRuntime.State s = runtime.state(c);
      runtime.live(c.id()).lastExit = s.exitCode();
      runtime.delete(c);
      ContainerRecord now = store.find(c.id());
      net.detach(now.endpointIds(), now.namespaceId());
      try {
        store.remove(c.id());
      } catch (IOException e) {
        throw ApiException.internal("cannot remove " + c.id() + ": " + e.getMessage(), e);
      }
    }
    events.publish("container", "destroy", c.id(), ContainerRuntime.attrs(c));
    runtime.removed(c.id());
  }
}
