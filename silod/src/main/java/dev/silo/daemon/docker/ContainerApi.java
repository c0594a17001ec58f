package dev.silo.daemon.docker;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.silo.daemon.Log;
import dev.silo.daemon.http.ApiException;
import dev.silo.daemon.http.ApiRequest;
import dev.silo.daemon.http.ApiResponse;
import dev.silo.daemon.http.Router;
import dev.silo.images.ImageService;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * {@code /containers}: list, inspect and top here; create is {@link ContainerCreate}, the lifecycle
 * verbs are {@link ContainerLifecycle}, logs and attach are {@link ContainerStreams}.
 */
public final class ContainerApi {
  private static final Set<String> LIST_FILTERS =
      Set.of("id", "name", "status", "label", "ancestor", "exited", "before", "since", "health");

  private static final Set<String> HEALTH = Set.of("starting", "healthy", "unhealthy", "none");

  private static final Set<String> STATES =
      Set.of("created", "restarting", "running", "removing", "paused", "exited", "dead");

  private final ContainerStore store;
  private final ContainerRuntime runtime;
  private final ContainerCreate create;
  private final ContainerLifecycle lifecycle;
  private final ContainerConnect connections;

  public ContainerApi(
      ContainerStore store,
      ContainerRuntime runtime,
      ImageService images,
      NetworkRegistry networks,
      ContainerNetwork net,
      VolumeStore volumes,
      EventLog events,
      Log log) {
    this.store = store;
    this.runtime = runtime;
    this.create =
        new ContainerCreate(
            store,
            runtime,
            images,
            networks,
            net,
            new ContainerMounts(volumes, events),
            events,
            log);
    this.connections = new ContainerConnect(store, runtime, networks, net, events);
    this.lifecycle = new ContainerLifecycle(store, runtime, create, net, connections, events, log);
  }

  /** Network connect and disconnect of these containers, for the network routes. */
  public ContainerConnect connections() {
    return connections;
  }

  /** Adds the routes. */
  public void register(Router r) {
    r.add("POST", "/containers/create", create::create);
    r.add("GET", "/containers/json", this::list);
    r.add("GET", "/containers/{id}/json", req -> Json.reply(200, inspect(find(req))));
    lifecycle.register(r);
    r.add("GET", "/containers/{id}/top", this::top);
  }

  /** {@code docker top}: the container's processes from /proc (UID, PID, PPID, CMD). */
  private ApiResponse top(ApiRequest req) throws ApiException {
    ContainerRecord c = find(req);
    if (!runtime.state(c).running()) {
      throw ApiException.conflict("Container " + c.id() + " is not running");
    }
    ObjectNode out = Json.object();
    ArrayNode titles = out.putArray("Titles");
    List.of("UID", "PID", "PPID", "CMD").forEach(titles::add);
    ArrayNode procs = out.putArray("Processes");
    for (int pid : runtime.pids(c)) {
      try {
        String status = Files.readString(Path.of("/proc/" + pid + "/status"));
        String cmd =
            new String(
                    Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline")),
                    StandardCharsets.UTF_8)
                .replace('\0', ' ')
                .strip();
        ArrayNode row = procs.addArray();
        row.add(field(status, "Uid:"))
            .add(Integer.toString(pid))
            .add(field(status, "PPid:"))
            .add(cmd);
      } catch (IOException e) {
        // exited while we looked
      }
    }
    return Json.reply(200, out);
  }

  private static String field(String status, String name) {
    for (String line : status.split("\n")) {
      if (line.startsWith(name)) {
        return line.substring(name.length()).strip().split("\\s+")[0];
      }
    }
    return "";
  }

  /** Whether any container was made from the image with this id. */
  public boolean usesImage(String imageId) {
    return store.list().stream().anyMatch(c -> c.imageId().equals(imageId));
  }

  /** Whether any container mounts the named volume. */
  public boolean usesVolume(String name) {
    return store.list().stream().anyMatch(c -> ContainerMounts.uses(c, name));
  }

  /** Removes a container that does not run, as {@code docker rm} does (prune). */
  public void remove(ContainerRecord c) throws ApiException {
    lifecycle.removeNow(c);
  }

  /** Makes the next run's compute system (Created), so that attach can come before start. */
  public void prepare(ContainerRecord c) throws ApiException {
    create.prepare(c);
  }

  ContainerRecord find(ApiRequest req) throws ApiException {
    return store.find(req.var("id"));
  }

  private ApiResponse list(ApiRequest req) throws ApiException {
    boolean all = req.flag("all");
    Filters f = Filters.parse(req.param("filters"), LIST_FILTERS);
    for (String s : f.get("status")) {
      if (!STATES.contains(s)) {
        throw ApiException.badParameter("invalid filter 'status=" + s + "'");
      }
    }
    for (String s : f.get("exited")) {
      if (!s.matches("-?\\d{1,10}")) {
        throw ApiException.badParameter("invalid filter 'exited=" + s + "'");
      }
    }
    for (String s : f.get("health")) {
      if (!HEALTH.contains(s)) {
        throw ApiException.badParameter("Unrecognised filter value for health: " + s);
      }
    }
    Instant before = bound(f, "before");
    Instant since = bound(f, "since");
    ArrayNode out = Json.MAPPER.createArrayNode();
    List<ContainerRecord> records = store.list();
    records.sort(
        Comparator.comparing((ContainerRecord r) -> Instant.parse(r.created())).reversed());
    for (ContainerRecord c : records) {
      Instant created = Instant.parse(c.created());
      if ((before != null && !created.isBefore(before))
          || (since != null && !created.isAfter(since))) {
        continue;
      }
      ContainerRuntime.State s = runtime.state(c);
      if (!all && !s.running() && !f.has("status") && !f.has("exited")) {
        continue;
      }
      if (!f.prefix("id", c.id())
          || !f.regex("name", c.name(), c.name().substring(1))
          || !f.exact("status", s.status())
          || !f.labels("label", labels(c))
          || !f.exact("ancestor", c.image())
          || !f.exact("health", runtime.health().status(c.id()))
          || (f.has("exited")
              && (s.running() || !f.exact("exited", Integer.toString(s.exitCode()))))) {
        continue;
      }
      out.add(ContainerViews.summary(c, s, runtime));
    }
    return Json.reply(200, out);
  }

  /** The creation time of the container a {@code before}/{@code since} filter names. */
  private @Nullable Instant bound(Filters f, String key) throws ApiException {
    Instant at = null;
    for (String ref : f.get(key)) {
      at = Instant.parse(store.find(ref).created());
    }
    return at;
  }

  private static Map<String, String> labels(ContainerRecord c) {
    Map<String, String> m = new TreeMap<>();
    c.config().path("Labels").properties().forEach(e -> m.put(e.getKey(), e.getValue().asText()));
    return m;
  }

  ObjectNode inspect(ContainerRecord c) {
    return ContainerViews.inspect(c, runtime.state(c), runtime, store);
  }
}
