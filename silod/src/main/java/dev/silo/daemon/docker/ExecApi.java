package dev.silo.daemon.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.silo.api.ComputeProcess;
import dev.silo.api.ComputeSystem;
import dev.silo.api.HcsException;
import dev.silo.api.HostComputeService;
import dev.silo.daemon.http.ApiException;
import dev.silo.daemon.http.ApiRequest;
import dev.silo.daemon.http.ApiResponse;
import dev.silo.daemon.http.Router;
import dev.silo.schema.hcs.ProcessParameters;
import dev.silo.schema.hcs.ProcessStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * {@code docker exec}: an exec instance is a process created in the container's compute system
 * (HcsCreateProcess) when it starts, its stdio relayed over the hijacked connection (multiplexed
 * frames without a tty), its exit code kept for {@code GET /exec/{id}/json}.
 */
public final class ExecApi {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final ContainerStore store;
  private final ContainerRuntime runtime;
  private final HostComputeService hcs;
  private final EventLog events;
  private final Map<String, Exec> execs = new ConcurrentHashMap<>();

  /** One exec instance. */
  static final class Exec {
    final String id;
    final String containerId;
    final JsonNode config;
    volatile boolean running;
    volatile @Nullable Integer exitCode;
    volatile int pid;
    volatile @Nullable ComputeProcess process;

    Exec(String id, String containerId, JsonNode config) {
      this.id = id;
      this.containerId = containerId;
      this.config = config;
    }
  }

  public ExecApi(
      ContainerStore store, ContainerRuntime runtime, HostComputeService hcs, EventLog events) {
    this.store = store;
    this.runtime = runtime;
    this.hcs = hcs;
    this.events = events;
  }

  /** Adds the routes. */
  public void register(Router r) {
    r.add("POST", "/containers/{id}/exec", this::create);
    r.add("POST", "/exec/{id}/start", this::start);
    r.add("POST", "/exec/{id}/resize", this::resize);
    r.add("GET", "/exec/{id}/json", req -> Json.reply(200, inspect(find(req.var("id")))));
  }

  private Exec find(String id) throws ApiException {
    Exec e = execs.get(id);
    if (e == null) {
      throw ApiException.notFound("No such exec instance: " + id);
    }
    return e;
  }

  private ApiResponse create(ApiRequest req) throws ApiException {
    ContainerRecord c = store.find(req.var("id"));
    JsonNode body = Json.body(req);
    BodyTypes.exec(body);
    String status = runtime.state(c).status();
    if (status.equals("restarting")) {
      throw ApiException.conflict(
          "Container " + c.id() + " is restarting, wait until the container is running");
    }
    if (!status.equals("running")) {
      throw ApiException.conflict("container " + c.id() + " is not running");
    }
    if (ContainerSpec.strings(body, "Cmd").isEmpty()) {
      throw ApiException.badParameter("No exec command specified");
    }
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    String id = HexFormat.of().formatHex(b);
    execs.put(id, new Exec(id, c.id(), body));
    Map<String, String> a = new java.util.HashMap<>(ContainerRuntime.attrs(c));
    a.put("execID", id);
    events.publish(
        "container",
        "exec_create: " + String.join(" ", ContainerSpec.strings(body, "Cmd")),
        c.id(),
        a);
    return Json.reply(201, Json.object().put("Id", id));
  }

  private ObjectNode inspect(Exec e) throws ApiException {
    ObjectNode o = Json.object();
    o.put("ID", e.id)
        .put("Running", e.running)
        .put("CanRemove", false)
        .put("ContainerID", e.containerId)
        .put("DetachKeys", "")
        .put("OpenStdin", e.config.path("AttachStdin").asBoolean(false))
        .put("OpenStdout", e.config.path("AttachStdout").asBoolean(false))
        .put("OpenStderr", e.config.path("AttachStderr").asBoolean(false))
        .put("Pid", e.pid);
    Integer code = e.exitCode;
    if (code == null) {
      o.putNull("ExitCode");
    } else {
      o.put("ExitCode", code);
    }
    List<String> cmd = ContainerSpec.strings(e.config, "Cmd");
    ObjectNode pc = o.putObject("ProcessConfig");
    pc.put("tty", e.config.path("Tty").asBoolean(false))
        .put("entrypoint", cmd.get(0))
        .put("privileged", e.config.path("Privileged").asBoolean(false))
        .put("user", Json.text(e.config, "User"));
    var args = pc.putArray("arguments");
    cmd.stream().skip(1).forEach(args::add);
    return o;
  }

  private ApiResponse start(ApiRequest req) throws ApiException {
    Exec e = find(req.var("id"));
    JsonNode body = req.body().length == 0 ? Json.object() : Json.body(req);
    if (e.running || e.exitCode != null) {
      throw ApiException.conflict("Error: Exec command " + e.id + " is already running");
    }
    ContainerRecord c = store.find(e.containerId);
    if (!runtime.state(c).status().equals("running")) {
      throw ApiException.conflict("container " + c.id() + " is not running");
    }
    boolean tty = e.config.path("Tty").asBoolean(false);
    boolean stdin = e.config.path("AttachStdin").asBoolean(false);
    boolean detach = body.path("Detach").asBoolean(false);
    Map<String, String> env = new LinkedHashMap<>();
    for (String kv : ContainerSpec.strings(e.config, "Env")) {
      int eq = kv.indexOf('=');
      env.put(eq < 0 ? kv : kv.substring(0, eq), eq < 0 ? "" : kv.substring(eq + 1));
    }
    List<Integer> size = new ArrayList<>();
    JsonNode cs = e.config.path("ConsoleSize");
    if (cs.isArray() && cs.size() == 2 && cs.get(0).asInt() > 0) {
      size.add(cs.get(0).asInt());
      size.add(cs.get(1).asInt());
    }
    ProcessParameters params =
        new ProcessParameters(
            null,
            null,
            ContainerSpec.strings(e.config, "Cmd"),
            Json.text(e.config, "User"),
            Json.text(e.config, "WorkingDir"),
            env,
            null,
            tty,
            stdin && !detach,
            !detach,
            !detach && !tty,
            size,
            null);
    ComputeProcess p;
    ComputeSystem system;
    try {
      system = hcs.open(c.id());
    } catch (HcsException ex) {
      throw ContainerRuntime.hcsError(ex);
    }
    try {
      p = system.createProcess(params);
    } catch (HcsException ex) {
      closeQuietly(system);
      if (detach) {
        throw ContainerRuntime.hcsError(ex);
      }
      // as dockerd: the stream is hijacked, the error is its text and the exit code 126/127
      e.exitCode = ex.hresult() == dev.silo.api.HResult.ERROR_FILE_NOT_FOUND ? 127 : 126;
      byte[] text =
          ("OCI runtime exec failed: " + ex.detail() + ": unknown\r\n")
              .getBytes(java.nio.charset.StandardCharsets.UTF_8);
      return hijack(req, tty, (in, out) -> out.send(tty ? text : ContainerStreams.frame(1, text)));
    }
    e.process = p;
    e.pid = p.pid();
    e.running = true;
    Map<String, String> a = new java.util.HashMap<>(ContainerRuntime.attrs(c));
    a.put("execID", e.id);
    events.publish("container", "exec_start: " + String.join(" ", params.commandArgs()), c.id(), a);
    if (detach) {
      Thread.ofVirtual().start(() -> awaitExit(e, p, system));
      return ApiResponse.empty(200);
    }
    return hijack(
        req,
        tty,
        (in, out) -> {
          Thread pump = stdin ? Thread.ofVirtual().start(() -> pumpStdin(in, p)) : null;
          // platform threads: the process's pipes are read by blocking native calls, which would
          // hold a virtual thread's carrier for as long as the process runs (two execs held both
          // carriers of a 2-core host, and the daemon answered nothing until they ended)
          Thread err =
              !tty && p.stderr() != null
                  ? Thread.ofPlatform()
                      .daemon()
                      .name("exec-err-" + e.id.substring(0, 12))
                      .start(() -> copy(p.stderr(), out, 2, false))
                  : null;
          Thread stdout =
              Thread.ofPlatform()
                  .daemon()
                  .name("exec-out-" + e.id.substring(0, 12))
                  .start(() -> copy(p.stdout(), out, 1, tty));
          stdout.join();
          if (err != null) {
            err.join();
          }
          awaitExit(e, p, system);
          if (pump != null) {
            pump.interrupt();
          }
        });
  }

  private static ApiResponse hijack(ApiRequest req, boolean tty, ApiResponse.HijackBody body) {
    String upgrade = req.header("upgrade");
    int status = upgrade != null && upgrade.equalsIgnoreCase("tcp") ? 101 : 200;
    String type =
        tty ? "application/vnd.docker.raw-stream" : "application/vnd.docker.multiplexed-stream";
    return new ApiResponse.Hijack(status, Map.of(), type, body);
  }

  private static void closeQuietly(ComputeSystem system) {
    try {
      system.close();
    } catch (Exception ex) {
      // the handle only
    }
  }

  private static void copy(
      @Nullable InputStream from, ApiResponse.Sink out, int stream, boolean raw) {
    if (from == null) {
      return;
    }
    byte[] buf = new byte[32 * 1024];
    try {
      int n;
      while ((n = from.read(buf)) > 0) {
        byte[] data = java.util.Arrays.copyOf(buf, n);
        synchronized (out) {
          out.send(raw ? data : ContainerStreams.frame(stream, data));
        }
      }
    } catch (IOException ex) {
      // the process's pipe ended (a pty master reads EIO once the process is gone)
    }
  }

  private static void pumpStdin(InputStream in, ComputeProcess p) {
    OutputStream to = p.stdin();
    if (to == null) {
      return;
    }
    byte[] buf = new byte[32 * 1024];
    try {
      int n;
      while ((n = in.read(buf)) >= 0) {
        to.write(buf, 0, n);
        to.flush();
      }
      p.closeStdin();
    } catch (IOException | HcsException ex) {
      // the client or the process went away
    }
  }

  private static void awaitExit(Exec e, ComputeProcess p, ComputeSystem system) {
    try {
      ProcessStatus s = p.waitForExit(Duration.ofDays(365));
      e.exitCode = s.exitCode() == null ? -1 : s.exitCode().intValue();
    } catch (HcsException ex) {
      e.exitCode = -1;
    } finally {
      e.running = false;
      p.close();
      closeQuietly(system);
    }
  }

  private ApiResponse resize(ApiRequest req) throws ApiException {
    Exec e = find(req.var("id"));
    ComputeProcess p = e.process;
    if (p == null || !e.running) {
      throw ApiException.conflict("Exec " + e.id + " is not running");
    }
    try {
      p.resizeConsole(
          Integer.parseInt(String.valueOf(req.param("h"))),
          Integer.parseInt(String.valueOf(req.param("w"))));
    } catch (NumberFormatException ex) {
      throw ApiException.badParameter("invalid resize parameters");
    } catch (HcsException ex) {
      throw ContainerRuntime.hcsError(ex);
    }
    return ApiResponse.empty(200);
  }
}
