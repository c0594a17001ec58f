package dev.silo.daemon.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.silo.api.HnsException;
import dev.silo.daemon.http.ApiException;
import dev.silo.daemon.http.ApiRequest;
import dev.silo.daemon.http.ApiResponse;
import dev.silo.daemon.http.Router;
import dev.silo.schema.hcn.NetworkType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code /networks}: create, list, inspect, remove, prune (moby's network router) over HNS, with
 * the Windows drivers (nat, transparent, l2bridge, l2tunnel, overlay) and their {@code
 * com.docker.network.windowsshim.*} options; connect and disconnect are {@link ContainerConnect}.
 */
public final class NetworkApi {
  /** The drivers a network can be created with. */
  public static final List<String> DRIVERS =
      List.of("nat", "transparent", "l2bridge", "l2tunnel", "overlay");

  private static final Set<String> LIST_FILTERS =
      Set.of("name", "id", "driver", "label", "type", "scope", "dangling");
  private static final Set<String> PRUNE_FILTERS = Set.of("until", "label", "label!");
  private static final Set<String> PREDEFINED_NAMES = Set.of("host", "none", "default");

  private final NetworkRegistry registry;
  private final EventLog events;
  private final ContainerConnect connections;

  public NetworkApi(NetworkRegistry registry, EventLog events, ContainerConnect connections) {
    this.registry = registry;
    this.events = events;
    this.connections = connections;
  }

  /** Adds the routes. */
  public void register(Router r) {
    r.add("GET", "/networks", this::list);
    r.add("POST", "/networks/create", this::create);
    r.add("POST", "/networks/prune", this::prune);
    r.add("GET", "/networks/{id}", req -> Json.reply(200, inspect(registry.find(req.var("id")))));
    r.add("DELETE", "/networks/{id}", this::remove);
    r.add("POST", "/networks/{id}/connect", connections::connect);
    r.add("POST", "/networks/{id}/disconnect", connections::disconnect);
  }

  /** The HCN type of a Docker driver name; unknown drivers are dockerd's plugin-not-found 404. */
  static NetworkType type(String driver) throws ApiException {
    return switch (driver) {
      case "nat" -> NetworkType.NAT;
      case "transparent" -> NetworkType.TRANSPARENT;
      case "l2bridge" -> NetworkType.L2BRIDGE;
      case "l2tunnel" -> NetworkType.L2TUNNEL;
      case "overlay" -> NetworkType.OVERLAY;
      default ->
          throw ApiException.notFound(
              "could not find plugin " + driver + " in v1 plugin registry: plugin not found");
    };
  }

  /** An HNS error as Docker on Windows reports it, with the status of its family. */
  static ApiException hnsError(HnsException e) {
    String msg = "HNS failed with error : " + e.detail();
    return switch (e) {
      case HnsException.NotFound nf -> new ApiException(404, msg, e);
      case HnsException.Conflict c -> new ApiException(409, msg, e);
      case HnsException.InvalidInput i -> new ApiException(400, msg, e);
      case HnsException.Failure f -> new ApiException(500, msg, e);
    };
  }

  private ApiResponse create(ApiRequest req) throws ApiException {
    JsonNode body = Json.body(req);
    BodyTypes.network(body);
    String name = Json.text(body, "Name");
    if (name.isEmpty()) {
      throw ApiException.badParameter("network name must not be empty");
    }
    if (PREDEFINED_NAMES.contains(name)) {
      throw ApiException.forbidden(
          "operation is not permitted on predefined " + name + " network ");
    }
    String driver = Json.text(body, "Driver");
    if (driver.isEmpty() || driver.equals("bridge")) {
      driver = "nat"; // Docker on Windows: the default driver is nat
    }
    if (body.path("EnableIPv6").asBoolean(false)) {
      throw ApiException.badParameter("IPv6 is not supported on Silo networks yet");
    }
    List<NetworkRecord.IpamBlock> ipam = ipam(body.path("IPAM"));
    type(driver);
    NetworkRecord rec =
        registry.create(
            new NetworkRegistry.Spec(
                name,
                driver,
                ipam,
                Json.strings(body, "Options"),
                Json.strings(body, "Labels"),
                body.path("Internal").asBoolean(false),
                body.path("Attachable").asBoolean(false)),
            false);
    events.publish("network", "create", rec.id(), Map.of("name", rec.name(), "type", rec.driver()));
    ObjectNode out = Json.object();
    out.put("Id", rec.id()).put("Warning", "");
    return Json.reply(201, out);
  }

  /** moby's ValidateIPAM for IPv4 blocks; IPv6 is refused (Silo's HNS networks are IPv4). */
  static List<NetworkRecord.IpamBlock> ipam(JsonNode ipam) throws ApiException {
    String driver = Json.text(ipam, "Driver");
    if (!driver.isEmpty() && !driver.equals("default") && !driver.equals("windows")) {
      throw ApiException.notFound(
          "could not find plugin " + driver + " in v1 plugin registry: plugin not found");
    }
    List<NetworkRecord.IpamBlock> out = new ArrayList<>();
    List<String> errs = new ArrayList<>();
    for (JsonNode c : ipam.path("Config")) {
      String subnet = Json.text(c, "Subnet");
      String gateway = Json.text(c, "Gateway");
      String range = Json.text(c, "IPRange");
      if (Cidr4.isV6(subnet)) {
        throw ApiException.badParameter(
            "invalid subnet " + subnet + ": IPv6 is not supported on Silo networks yet");
      }
      Cidr4 s = Cidr4.parse(subnet);
      if (s == null) {
        errs.add("invalid subnet " + subnet + ": invalid CIDR block notation");
        continue;
      }
      if (!s.equals(s.masked())) {
        errs.add("invalid subnet " + subnet + ": it should be " + s.masked());
      }
      if (!range.isEmpty()) {
        Cidr4 r = Cidr4.parse(range);
        if (r == null) {
          errs.add("invalid ip-range " + range + ": invalid CIDR block notation");
        } else {
          if (r.bits() < s.bits()) {
            errs.add(
                "invalid ip-range " + range + ": CIDR block is bigger than its parent subnet " + s);
          }
          if (!r.equals(r.masked())) {
            errs.add("invalid ip-range " + range + ": it should be " + r.masked());
          }
          if (!s.overlaps(r)) {
            errs.add(
                "invalid ip-range " + range + ": parent subnet " + s + " doesn't contain ip-range");
          }
        }
      }
      if (!gateway.isEmpty()) {
        Integer g = Cidr4.address(gateway);
        if (g == null) {
          errs.add("invalid gateway " + gateway + ": invalid address");
        } else if (!s.contains(g)) {
          errs.add(
              "invalid gateway "
                  + gateway
                  + ": parent subnet "
                  + s
                  + " doesn't contain this address");
        }
      }
      out.add(new NetworkRecord.IpamBlock(subnet, gateway, range));
    }
    if (!errs.isEmpty()) {
      throw ApiException.badParameter("invalid network config:\n" + String.join("\n", errs));
    }
    return out;
  }

  private ApiResponse list(ApiRequest req) throws ApiException {
    Filters f = Filters.parse(req.param("filters"), LIST_FILTERS);
    ArrayNode out = Json.MAPPER.createArrayNode();
    for (NetworkRecord r : registry.list()) {
      String kind = r.predefined() ? "builtin" : "custom";
      if (f.contains("name", r.name())
          && f.prefix("id", r.id())
          && f.exact("driver", r.driver())
          && f.exact("type", kind)
          && f.exact("scope", "local")
          && f.labels("label", r.labels())
          && (!f.has("dangling") || dangling(f, r))) {
        out.add(inspect(r));
      }
    }
    return Json.reply(200, out);
  }

  private boolean dangling(Filters f, NetworkRecord r) throws ApiException {
    boolean want = f.get("dangling").contains("true") || f.get("dangling").contains("1");
    return want == (!r.predefined() && !registry.inUse(r));
  }

  ObjectNode inspect(NetworkRecord r) {
    ObjectNode n = Json.object();
    n.put("Name", r.name())
        .put("Id", r.id())
        .put("Created", r.created())
        .put("Scope", "local")
        .put("Driver", r.driver())
        .put("EnableIPv4", true)
        .put("EnableIPv6", false);
    ObjectNode ipam = n.putObject("IPAM");
    ipam.put("Driver", "windows").putNull("Options");
    ArrayNode cfg = ipam.putArray("Config");
    for (NetworkRecord.IpamBlock b : r.ipam()) {
      ObjectNode c = cfg.addObject().put("Subnet", b.subnet());
      if (!b.gateway().isEmpty()) {
        c.put("Gateway", b.gateway());
      }
      if (!b.ipRange().isEmpty()) {
        c.put("IPRange", b.ipRange());
      }
    }
    n.put("Internal", r.internal()).put("Attachable", r.attachable()).put("Ingress", false);
    n.putObject("ConfigFrom").put("Network", "");
    n.put("ConfigOnly", false);
    n.set("Containers", connections.containers(r));
    ObjectNode opts = n.putObject("Options");
    r.options().forEach(opts::put);
    ObjectNode labels = n.putObject("Labels");
    r.labels().forEach(labels::put);
    return n;
  }

  private ApiResponse remove(ApiRequest req) throws ApiException {
    NetworkRecord r = registry.find(req.var("id"));
    registry.remove(r);
    events.publish("network", "destroy", r.id(), Map.of("name", r.name(), "type", r.driver()));
    return ApiResponse.empty(204);
  }

  private ApiResponse prune(ApiRequest req) throws ApiException {
    Filters f = Filters.parse(req.param("filters"), PRUNE_FILTERS);
    long until =
        f.has("until") ? SystemApi.timestamp(f.get("until").iterator().next(), "until") : -1;
    ArrayNode deleted = Json.MAPPER.createArrayNode();
    for (NetworkRecord r : registry.list()) {
      if (r.predefined() || registry.inUse(r) || !f.labels("label", r.labels())) {
        continue;
      }
      if (!f.notLabels("label!", r.labels())) {
        continue;
      }
      if (until >= 0 && createdNanos(r) > until) {
        continue;
      }
      registry.remove(r);
      events.publish("network", "destroy", r.id(), Map.of("name", r.name(), "type", r.driver()));
      deleted.add(r.name());
    }
    ObjectNode out = Json.object();
    out.set("NetworksDeleted", deleted);
    events.publish("network", "prune", "", Map.of("reclaimed", "0"));
    return Json.reply(200, out);
  }

  private static long createdNanos(NetworkRecord r) {
    java.time.Instant t = java.time.Instant.parse(r.created());
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }
}
