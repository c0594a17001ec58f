package dev.silo.daemon.docker;

import dev.silo.api.HcsException;
import dev.silo.daemon.http.ApiException;
import dev.silo.daemon.http.ApiRequest;
import dev.silo.daemon.http.ApiResponse;
import dev.silo.daemon.http.Router;
import dev.silo.hcs.LogEntry;
import dev.silo.hcs.LogFollower;
import dev.silo.hcs.MonitorAttach;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A container's streams: {@code logs} from its json-file log (follow until the exit), {@code
 * attach} as a hijacked connection to its monitor's attach socket (multiplexed frames without a
 * tty, raw bytes with one), and {@code resize}.
 */
public final class ContainerStreams {
  private static final String RAW = "application/vnd.docker.raw-stream";
  private static final String MULTIPLEXED = "application/vnd.docker.multiplexed-stream";

  private final ContainerStore store;
  private final ContainerRuntime runtime;
  private final Preparer preparer;
  private final EventLog events;

  /** Makes a container's next run ready (its compute system Created) so attach can connect. */
  @FunctionalInterface
  public interface Preparer {
    void prepare(ContainerRecord c) throws ApiException;
  }

  public ContainerStreams(
      ContainerStore store, ContainerRuntime runtime, Preparer preparer, EventLog events) {
    this.store = store;
    this.runtime = runtime;
    this.preparer = preparer;
    this.events = events;
  }

  /** Adds the routes. */
  public void register(Router r) {
    r.add("GET", "/containers/{id}/logs", this::logs);
    r.add("POST", "/containers/{id}/attach", this::attach);
    r.add("POST", "/containers/{id}/resize", this::resize);
  }

  private static boolean tty(ContainerRecord c) {
    return c.config().path("Tty").asBoolean(false);
  }

  private static String contentType(ContainerRecord c, ApiRequest req) {
    if (tty(c)) {
      return RAW;
    }
    return dev.silo.daemon.http.ApiVersion.compare(req.apiVersion(), "1.42") >= 0
        ? MULTIPLEXED
        : RAW;
  }

  /** One stdcopy frame: stream byte, three zeros, big-endian length, payload. */
  static byte[] frame(int stream, byte[] data) {
    ByteBuffer b = ByteBuffer.allocate(8 + data.length);
    b.put((byte) stream).put((byte) 0).put((byte) 0).put((byte) 0).putInt(data.length).put(data);
    return b.array();
  }

  // ---- logs

  private ApiResponse logs(ApiRequest req) throws ApiException {
    ContainerRecord c = store.find(req.var("id"));
    boolean stdout = req.flag("stdout");
    boolean stderr = req.flag("stderr");
    if (!stdout && !stderr) {
      throw ApiException.badParameter("Bad parameters: you must choose at least one stream");
    }
    boolean follow = req.flag("follow");
    boolean timestamps = req.flag("timestamps");
    Instant since = time(req.param("since"), "since");
    Instant until = time(req.param("until"), "until");
    String t = req.param("tail");
    int tail = -1;
    if (t != null && !t.isEmpty() && !t.equals("all")) {
      try {
        tail = Math.max(0, Integer.parseInt(t));
      } catch (NumberFormatException e) {
        tail = -1; // dockerd treats a bad tail as all
      }
    }
    LogFollower.Query q = new LogFollower.Query(since, until, tail, stdout, stderr);
    boolean tty = tty(c);
    String id = c.id();
    return new ApiResponse.Stream(
        200,
        Map.of(),
        contentType(c, req),
        sink -> {
          Consumer<LogEntry> out =
              e -> {
                byte[] data = e.render(timestamps).getBytes(StandardCharsets.UTF_8);
                sink.send(tty ? data : frame(e.isStderr() ? 2 : 1, data));
              };
          List<Path> files = runtime.logFiles(id);
          try {
            if (files.size() > 1) {
              new LogFollower(files.get(0)).read(q).forEach(out);
            }
            Path current = files.getLast();
            if (!follow || !running(id)) {
              new LogFollower(current).read(q).forEach(out);
            } else {
              new LogFollower(current).follow(q, out, () -> !sink.isOpen() || !running(id));
            }
          } catch (IOException e) {
            // the log went with the container
          }
        });
  }

  private boolean running(String id) {
    ContainerRecord c = store.get(id);
    return c != null && runtime.state(c).running();
  }

  /** since/until: Unix seconds (with an optional fraction) or RFC 3339; empty or 0 is none. */
  static @Nullable Instant time(@Nullable String v, String name) throws ApiException {
    if (v == null || v.isEmpty() || v.equals("0")) {
      return null;
    }
    if (v.matches("[0-9]+(\\.[0-9]{1,9})?")) {
      String[] p = v.split("\\.", 2);
      long nanos = p.length == 2 ? Long.parseLong((p[1] + "000000000").substring(0, 9)) : 0;
      return Instant.ofEpochSecond(Long.parseLong(p[0]), nanos);
    }
    try {
      return Instant.parse(v);
    } catch (DateTimeParseException e) {
      throw ApiException.badParameter("invalid value for " + name + ": " + v);
    }
  }

  // ---- attach

  private ApiResponse attach(ApiRequest req) throws ApiException {
    ContainerRecord c = store.find(req.var("id"));
    boolean stdin = req.flag("stdin");
    boolean stdout = req.flag("stdout");
    boolean stderr = req.flag("stderr");
    boolean logs = req.flag("logs");
    if (!runtime.state(c).running() && !runtime.prepared(c.id())) {
      preparer.prepare(c);
    }
    MonitorAttach a;
    try {
      a = runtime.monitors().attach(c.id());
    } catch (HcsException e) {
      throw ContainerRuntime.hcsError(e);
    }
    events.publish("container", "attach", c.id(), ContainerRuntime.attrs(c));
    boolean tty = tty(c);
    boolean stdinOnce = c.config().path("StdinOnce").asBoolean(false);
    String upgrade = req.header("upgrade");
    int status = upgrade != null && upgrade.equalsIgnoreCase("tcp") ? 101 : 200;
    List<Path> files = runtime.logFiles(c.id());
    return new ApiResponse.Hijack(
        status,
        Map.of(),
        contentType(c, req),
        (in, out) -> {
          try (a) {
            if (logs) {
              for (Path f : files) {
                try {
                  for (LogEntry e : new LogFollower(f).read(LogFollower.Query.ALL)) {
                    if (e.isStderr() ? stderr : stdout) {
                      byte[] d = e.log().getBytes(StandardCharsets.UTF_8);
                      out.send(tty ? d : frame(e.isStderr() ? 2 : 1, d));
                    }
                  }
                } catch (IOException e) {
                  // no log yet
                }
              }
            }
            Thread pump = null;
            if (stdin) {
              pump = Thread.ofVirtual().start(() -> pumpStdin(in, a, stdinOnce));
            }
            relay(a, out, tty, stdout, stderr);
            if (pump != null) {
              pump.interrupt();
            }
          } catch (IOException e) {
            // the monitor went away: the stream ends
          }
        });
  }

  private static void relay(
      MonitorAttach a, ApiResponse.Sink out, boolean tty, boolean stdout, boolean stderr)
      throws IOException {
    while (true) {
      MonitorAttach.Frame f;
      try {
        f = a.read(Duration.ofMillis(500));
      } catch (SocketTimeoutException e) {
        if (!out.isOpen()) {
          return;
        }
        continue;
      }
      if (f == null) {
        return;
      }
      boolean err = f.stream() == MonitorAttach.STDERR;
      if (err ? !stderr : !stdout) {
        continue;
      }
      if (!out.send(tty ? f.data() : frame(f.stream(), f.data()))) {
        return;
      }
    }
  }

  private static void pumpStdin(InputStream in, MonitorAttach a, boolean stdinOnce) {
    byte[] buf = new byte[32 * 1024];
    try {
      while (true) {
        int n = in.read(buf);
        if (n < 0) {
          if (stdinOnce) {
            a.closeStdin();
          }
          return;
        }
        if (n > 0) {
          a.write(Arrays.copyOf(buf, n));
        }
      }
    } catch (IOException e) {
      // the client or the monitor went away
    }
  }

  private ApiResponse resize(ApiRequest req) throws ApiException {
    ContainerRecord c = store.find(req.var("id"));
    int h = intParam(req, "h");
    int w = intParam(req, "w");
    if (!runtime.state(c).running()) {
      throw ApiException.conflict("Container " + c.id() + " is not running");
    }
    if (tty(c)) {
      try (MonitorAttach a = runtime.monitors().attach(c.id())) {
        a.resize(h, w);
      } catch (HcsException e) {
        throw ContainerRuntime.hcsError(e);
      } catch (IOException | IllegalArgumentException e) {
        throw ApiException.badParameter("resize: " + e.getMessage());
      }
    }
    return ApiResponse.empty(200);
  }

  private static int intParam(ApiRequest req, String name) throws ApiException {
    String v = req.param(name);
    try {
      return v == null || v.isEmpty() ? 0 : Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw ApiException.badParameter("invalid value for " + name + ": " + v);
    }
  }
}
