package dev.silo.daemon.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.silo.daemon.http.ApiException;
import dev.silo.daemon.http.ApiRequest;
import dev.silo.daemon.http.ApiResponse;
import dev.silo.daemon.http.ApiVersion;
import dev.silo.daemon.http.Router;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** {@code /volumes}: create, list, inspect, remove, prune with the {@code local} driver. */
public final class VolumeApi {
  private static final Set<String> LIST_FILTERS = Set.of("name", "driver", "label", "dangling");
  private static final Set<String> PRUNE_FILTERS = Set.of("label", "label!", "all");

  private final VolumeStore store;
  private final EventLog events;

  public VolumeApi(VolumeStore store, EventLog events) {
    this.store = store;
    this.events = events;
  }

  /** Adds the routes. */
  public void register(Router r) {
    r.add("GET", "/volumes", this::list);
    r.add("POST", "/volumes/create", this::create);
    r.add("POST", "/volumes/prune", this::prune);
    r.add("GET", "/volumes/{name}", req -> Json.reply(200, inspect(store.find(req.var("name")))));
    r.add("DELETE", "/volumes/{name}", this::remove);
  }

  private ApiResponse create(ApiRequest req) throws ApiException {
    JsonNode body = req.body().length == 0 ? Json.object() : Json.body(req);
    BodyTypes.volume(body);
    String driver = Json.text(body, "Driver");
    if (!driver.isEmpty() && !driver.equals("local")) {
      throw ApiException.notFound(
          "error looking up volume plugin " + driver + ": plugin \"" + driver + "\" not found");
    }
    String name = Json.text(body, "Name");
    Map<String, String> labels = new HashMap<>(Json.strings(body, "Labels"));
    if (name.isEmpty()) {
      name = NetworkRegistry.newId();
      labels.put(VolumeStore.ANONYMOUS, "");
    }
    VolumeStore.Created c = store.create(name, labels, Json.strings(body, "DriverOpts"));
    if (c.isNew()) {
      events.publish("volume", "create", name, Map.of("driver", "local"));
    }
    return Json.reply(201, inspect(c.volume()));
  }

  ObjectNode inspect(VolumeRecord v) {
    ObjectNode o = Json.object();
    o.put("CreatedAt", v.createdAt())
        .put("Driver", "local")
        .put("Mountpoint", store.mountpoint(v.name()).toString())
        .put("Name", v.name())
        .put("Scope", "local");
    ObjectNode labels = o.putObject("Labels");
    v.labels().forEach(labels::put);
    ObjectNode opts = o.putObject("Options");
    v.options().forEach(opts::put);
    return o;
  }

  private ApiResponse list(ApiRequest req) throws ApiException {
    Filters f = Filters.parse(req.param("filters"), LIST_FILTERS);
    ArrayNode vols = Json.MAPPER.createArrayNode();
    for (VolumeRecord v : store.list()) {
      boolean dangling = !store.isInUse(v.name());
      if (f.contains("name", v.name())
          && f.exact("driver", "local")
          && f.labels("label", v.labels())
          && (!f.has("dangling")
              || f.exact("dangling", String.valueOf(dangling))
              || f.exact("dangling", dangling ? "1" : "0"))) {
        vols.add(inspect(v));
      }
    }
    ObjectNode out = Json.object();
    out.set("Volumes", vols);
    out.putArray("Warnings");
    return Json.reply(200, out);
  }

  private ApiResponse remove(ApiRequest req) throws ApiException {
    String name = req.var("name");
    if (req.flag("force") && store.get(name) == null) {
      return ApiResponse.empty(204);
    }
    store.remove(name);
    events.publish("volume", "destroy", name, Map.of("driver", "local"));
    return ApiResponse.empty(204);
  }

  private ApiResponse prune(ApiRequest req) throws ApiException {
    Filters f = Filters.parse(req.param("filters"), PRUNE_FILTERS);
    // API 1.42+: only anonymous volumes unless all=true
    boolean all =
        ApiVersion.compare(req.apiVersion(), "1.42") < 0
            || f.get("all").contains("true")
            || f.get("all").contains("1");
    ArrayNode deleted = Json.MAPPER.createArrayNode();
    long reclaimed = 0;
    for (VolumeRecord v : store.list()) {
      if (store.isInUse(v.name())
          || (!all && !v.labels().containsKey(VolumeStore.ANONYMOUS))
          || !f.labels("label", v.labels())
          || !f.notLabels("label!", v.labels())) {
        continue;
      }
      reclaimed += store.remove(v.name());
      events.publish("volume", "destroy", v.name(), Map.of("driver", "local"));
      deleted.add(v.name());
    }
    ObjectNode out = Json.object();
    out.set("VolumesDeleted", deleted);
    out.put("SpaceReclaimed", reclaimed);
    return Json.reply(200, out);
  }
}
