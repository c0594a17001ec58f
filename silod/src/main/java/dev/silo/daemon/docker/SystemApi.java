package dev.silo.daemon.docker;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.silo.daemon.DaemonOptions;
import dev.silo.daemon.http.ApiException;
import dev.silo.daemon.http.ApiRequest;
import dev.silo.daemon.http.ApiResponse;
import dev.silo.daemon.http.ApiVersion;
import dev.silo.daemon.http.Router;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/** {@code /_ping}, {@code /version}, {@code /info} and {@code /events} (moby's system router). */
public final class SystemApi {
  /** Silo's engine version, reported as the Docker engine version. */
  public static final String VERSION = "0.1.0";

  /** How many containers and images {@code info} counts; the lead wires the real ones. */
  public interface Counts {
    int containers();

    int running();

    int paused();

    int stopped();

    int images();

    /** Nothing yet: no containers, no images. */
    Counts NONE =
        new Counts() {
          @Override
          public int containers() {
            return 0;
          }

          @Override
          public int running() {
            return 0;
          }

          @Override
          public int paused() {
            return 0;
          }

          @Override
          public int stopped() {
            return 0;
          }

          @Override
          public int images() {
            return 0;
          }
        };
  }

  private static final Set<String> EVENT_FILTERS =
      Set.of(
          "type",
          "event",
          "network",
          "volume",
          "label",
          "scope",
          "container",
          "image",
          "daemon",
          "plugin",
          "node",
          "service",
          "secret",
          "config");

  private final DaemonOptions options;
  private final String engineId;
  private final EventLog events;
  private final Counts counts;

  public SystemApi(DaemonOptions options, String engineId, EventLog events, Counts counts) {
    this.options = options;
    this.engineId = engineId;
    this.events = events;
    this.counts = counts;
  }

  /** Adds the routes. */
  public void register(Router r) {
    r.add("GET", "/_ping", this::ping);
    r.add("HEAD", "/_ping", this::ping);
    r.add("GET", "/version", req -> Json.reply(200, version()));
    r.add("GET", "/info", req -> Json.reply(200, info()));
    r.add("GET", "/events", this::events);
  }

  private ApiResponse ping(ApiRequest r) {
    ApiResponse out =
        r.method().equals("HEAD") ? ApiResponse.text(200, "") : ApiResponse.text(200, "OK");
    return out.withHeaders(
        Map.of(
            "Builder-Version", "1",
            "Docker-Experimental", "false",
            "Swarm", "inactive",
            "Cache-Control", "no-cache, no-store, must-revalidate",
            "Pragma", "no-cache"));
  }

  ObjectNode version() {
    ObjectNode v = Json.object();
    v.putObject("Platform").put("Name", "Silo " + VERSION);
    ObjectNode engine = v.putArray("Components").addObject();
    engine.put("Name", "Engine").put("Version", VERSION);
    ObjectNode d = engine.putObject("Details");
    d.put("ApiVersion", ApiVersion.MAX)
        .put("Arch", Host.goArch())
        .put("BuildTime", "")
        .put("Experimental", "false")
        .put("GitCommit", "silo")
        .put("GoVersion", "java" + Runtime.version().feature())
        .put("KernelVersion", Host.kernelVersion())
        .put("MinAPIVersion", ApiVersion.MIN)
        .put("Os", "linux");
    v.put("Version", VERSION)
        .put("ApiVersion", ApiVersion.MAX)
        .put("MinAPIVersion", ApiVersion.MIN)
        .put("GitCommit", "silo")
        .put("GoVersion", "java" + Runtime.version().feature())
        .put("Os", "linux")
        .put("Arch", Host.goArch())
        .put("KernelVersion", Host.kernelVersion())
        .put("BuildTime", "");
    return v;
  }

  ObjectNode info() {
    ObjectNode i = Json.object();
    i.put("ID", engineId)
        .put("Containers", counts.containers())
        .put("ContainersRunning", counts.running())
        .put("ContainersPaused", counts.paused())
        .put("ContainersStopped", counts.stopped())
        .put("Images", counts.images())
        .put("Driver", "overlay2");
    i.putArray("DriverStatus").addArray().add("Backing Filesystem").add("extfs");
    ObjectNode plugins = i.putObject("Plugins");
    plugins.putArray("Volume").add("local");
    ArrayNode nets = plugins.putArray("Network");
    for (String n : NetworkApi.DRIVERS) {
      nets.add(n);
    }
    plugins.putNull("Authorization");
    plugins.putArray("Log").add("json-file");
    i.put("MemoryLimit", true)
        .put("SwapLimit", true)
        .put("CpuCfsPeriod", true)
        .put("CpuCfsQuota", true)
        .put("CPUShares", true)
        .put("CPUSet", true)
        .put("PidsLimit", true)
        .put("IPv4Forwarding", true)
        .put("Debug", options.logLevel().equals("debug"))
        .put("NFd", 0)
        .put("OomKillDisable", false)
        .put("NGoroutines", Thread.activeCount())
        .put("SystemTime", Instant.now().toString())
        .put("LoggingDriver", "json-file")
        .put("CgroupDriver", "cgroupfs")
        .put("CgroupVersion", Host.cgroupVersion())
        .put("NEventsListener", events.listeners())
        .put("KernelVersion", Host.kernelVersion())
        .put("OperatingSystem", "Silo")
        .put("OSVersion", options.hostOsVersion())
        .put("OSType", "linux")
        .put("Architecture", Host.architecture())
        .put("IndexServerAddress", "https://index.docker.io/v1/")
        .put("NCPU", Runtime.getRuntime().availableProcessors())
        .put("MemTotal", Host.memTotal())
        .put("DockerRootDir", options.dataRoot().toString())
        .put("Name", Host.hostname())
        .put("ExperimentalBuild", false)
        .put("ServerVersion", VERSION)
        .put("DefaultRuntime", "runhcs")
        .put("LiveRestoreEnabled", true)
        .put("Isolation", "process")
        .put("InitBinary", "silo-init");
    i.putObject("RegistryConfig").putObject("IndexConfigs");
    i.putArray("Labels");
    i.putObject("Runtimes").putObject("runhcs").put("path", "runhcs");
    ObjectNode swarm = i.putObject("Swarm");
    swarm.put("NodeID", "").put("NodeAddr", "").put("LocalNodeState", "inactive");
    swarm.put("ControlAvailable", false).put("Error", "").putNull("RemoteManagers");
    i.putArray("SecurityOptions").add("name=seccomp,profile=builtin");
    i.putArray("Warnings");
    i.putObject("HostOS").put("Version", options.hostOsVersion());
    return i;
  }

  private ApiResponse events(ApiRequest r) throws ApiException {
    long since = timestamp(r.param("since"), "since");
    long until = timestamp(r.param("until"), "until");
    Filters f = Filters.parse(r.param("filters"), EVENT_FILTERS);
    if (since >= 0 && until >= 0 && until < since) {
      throw ApiException.badParameter(
          "`since` time ("
              + r.param("since")
              + ") cannot be after `until` time ("
              + r.param("until")
              + ")");
    }
    return new ApiResponse.Stream(
        200,
        Map.of(),
        "application/json",
        sink -> {
          try (EventLog.Subscription sub = events.subscribe()) {
            for (EventLog.Event e : sub.past()) {
              if (since >= 0
                  && e.timeNano() >= since
                  && (until < 0 || e.timeNano() <= until)
                  && matches(f, e)) {
                sink.send(encode(e));
              }
            }
            if (since < 0 && until >= 0 && until <= nowNanos()) {
              return; // nothing to replay, nothing to wait for
            }
            while (sink.isOpen()) {
              long left = until < 0 ? 1_000_000_000L : until - nowNanos();
              if (left <= 0) {
                return;
              }
              EventLog.Event e =
                  sub.live().poll(Math.min(left, 1_000_000_000L), TimeUnit.NANOSECONDS);
              if (e != null && (until < 0 || e.timeNano() <= until) && matches(f, e)) {
                if (!sink.send(encode(e))) {
                  return;
                }
              }
            }
          }
        });
  }

  /**
   * The {@code event} filter: exact, except that {@code health_status}, {@code exec_create} and
   * {@code exec_start} (whose actions carry ": status" or ": command") match as prefixes, as in
   * dockerd (moby#25798).
   */
  private static boolean event(Filters f, String action) {
    for (String fuzzy : List.of("health_status", "exec_create", "exec_start")) {
      if (f.get("event").contains(fuzzy)) {
        return f.prefix("event", action);
      }
    }
    return f.exact("event", action);
  }

  static boolean matches(Filters f, EventLog.Event e) {
    String name = e.attributes().getOrDefault("name", "");
    return f.exact("type", e.type())
        && event(f, e.action())
        && (!e.type().equals("network")
            || f.exact("network", e.actorId())
            || f.exact("network", name))
        && (!f.has("network") || e.type().equals("network"))
        && (!e.type().equals("volume") || f.exact("volume", e.actorId()))
        && (!f.has("volume") || e.type().equals("volume"))
        && f.exact("scope", "local")
        && f.labels("label", e.attributes());
  }

  static byte[] encode(EventLog.Event e) {
    ObjectNode m = Json.object();
    m.put("Type", e.type()).put("Action", e.action());
    ObjectNode actor = m.putObject("Actor");
    actor.put("ID", e.actorId());
    ObjectNode attrs = actor.putObject("Attributes");
    e.attributes().forEach(attrs::put);
    m.put("scope", "local")
        .put("time", e.timeNano() / 1_000_000_000L)
        .put("timeNano", e.timeNano());
    return (m.toString() + "\n").getBytes(StandardCharsets.UTF_8);
  }

  static long nowNanos() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  /**
   * Parses {@code since}/{@code until} as the CLI sends them ({@code seconds[.nanos]}) or as RFC
   * 3339; -1 when absent.
   */
  static long timestamp(@Nullable String value, String name) throws ApiException {
    if (value == null || value.isEmpty()) {
      return -1;
    }
    try {
      if (value.matches("-?[0-9]+(\\.[0-9]{1,9})?")) {
        String[] parts = value.split("\\.", 2);
        long secs = Long.parseLong(parts[0]);
        long nanos =
            parts.length > 1 ? Long.parseLong((parts[1] + "000000000").substring(0, 9)) : 0;
        return secs * 1_000_000_000L + nanos;
      }
      Instant t = Instant.parse(value);
      return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    } catch (NumberFormatException | DateTimeParseException e) {
      throw ApiException.badParameter(
          "failed to parse value " + value + " as a " + name + " timestamp");
    }
  }
}
