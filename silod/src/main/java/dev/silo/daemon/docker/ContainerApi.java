package dev.silo.daemon.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.silo.daemon.Log;
import dev.silo.daemon.http.ApiException;
import dev.silo.daemon.http.ApiRequest;
import dev.silo.daemon.http.ApiResponse;
import dev.silo.daemon.http.Router;
import dev.silo.hcs.ComputeService;
import dev.silo.hcs.Signals;
import dev.silo.images.ImageDetails;
import dev.silo.images.ImageException;
import dev.silo.images.ImageService;
import dev.silo.images.Isolation;
import dev.silo.schema.oci.Spec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * {@code /containers}: create, list, inspect, start, stop, restart, kill, wait, remove and rename
 * (dockerd's routes and messages); logs and attach are in {@link ContainerStreams}.
 */
public final class ContainerApi {
  private static final Pattern NAME = Pattern.compile("^/?[a-zA-Z0-9][a-zA-Z0-9_.-]+$");
  private static final Set<String> LIST_FILTERS =
      Set.of("id", "name", "status", "label", "ancestor", "exited");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final ContainerStore store;
  private final ContainerRuntime runtime;
  private final ImageService images;
  private final NetworkRegistry networks;
  private final ContainerNetwork net;
  private final VolumeStore volumes;
  private final EventLog events;
  private final Log log;
  private final Object createLock = new Object();

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
    this.images = images;
    this.networks = networks;
    this.net = net;
    this.volumes = volumes;
    this.events = events;
    this.log = log;
    runtime.setRemover(this::removeNow);
    runtime.setRestarter(
        c -> {
          try {
            synchronized (runtime.live(c.id()).lock) {
              ContainerRecord now = store.find(c.id());
              if (!runtime.prepared(now.id())) {
                prepare(now);
              }
              runtime.start(now, true);
            }
          } catch (ApiException e) {
            log.warn("restart of " + c.shortId() + " failed: " + e.getMessage());
          }
        });
  }

  /** Adds the routes. */
  public void register(Router r) {
    r.add("POST", "/containers/create", this::create);
    r.add("GET", "/containers/json", this::list);
    r.add("GET", "/containers/{id}/json", req -> Json.reply(200, inspect(find(req))));
    r.add("POST", "/containers/{id}/start", this::start);
    r.add("POST", "/containers/{id}/stop", this::stop);
    r.add("POST", "/containers/{id}/restart", this::restart);
    r.add("POST", "/containers/{id}/kill", this::kill);
    r.add("POST", "/containers/{id}/wait", this::waitFor);
    r.add("POST", "/containers/{id}/rename", this::rename);
    r.add("DELETE", "/containers/{id}", this::remove);
    r.add("POST", "/containers/{id}/pause", req -> freeze(req, true));
    r.add("POST", "/containers/{id}/unpause", req -> freeze(req, false));
    r.add("GET", "/containers/{id}/top", this::top);
  }

  private ApiResponse freeze(ApiRequest req, boolean pause) throws ApiException {
    ContainerRecord c = find(req);
    String status = runtime.state(c).status();
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
    for (ContainerRecord c : store.list()) {
      for (JsonNode b : c.hostConfig().path("Binds")) {
        if (b.asText().startsWith(name + ":")) {
          return true;
        }
      }
      for (JsonNode m : c.hostConfig().path("Mounts")) {
        if (Json.text(m, "Type").equals("volume") && Json.text(m, "Source").equals(name)) {
          return true;
        }
      }
    }
    return false;
  }

  ContainerRecord find(ApiRequest req) throws ApiException {
    return store.find(req.var("id"));
  }

  // ---- create

  private ApiResponse create(ApiRequest req) throws ApiException {
    JsonNode body = Json.body(req);
    JsonNode hostConfig =
        body.path("HostConfig").isObject() ? body.get("HostConfig") : Json.object();
    String name = req.param("name");
    String image = Json.text(body, "Image");
    if (image.isEmpty()) {
      throw ApiException.badParameter("config cannot be empty in order to create a container");
    }
    Isolation isolation = isolation(Json.text(hostConfig, "Isolation"));
    List<ContainerRecord.PortBinding> ports = ports(hostConfig.path("PortBindings"));
    ImageDetails img;
    try {
      img = images.inspect(image);
      images.checkCompatible(image, isolation);
    } catch (ImageException e) {
      throw ImageApi.error(e);
    }
    String id = HexFormat.of().formatHex(bytes());
    synchronized (createLock) {
      String fullName = name(name, id);
      checkPortsFree(ports, null);
      NetworkRecord network = network(Json.text(hostConfig, "NetworkMode"));
      List<ContainerSpec.Bind> binds = binds(hostConfig);
      Path dir = store.dir(id);
      ContainerNetwork.Attachment at = null;
      boolean recorded = false;
      try {
        Files.createDirectories(store.scratch(id));
        if (network != null) {
          at = net.attach(id, network.hnsId(), ports);
        }
        String gateway =
            network == null || network.ipam().isEmpty() ? "" : network.ipam().get(0).gateway();
        ContainerRecord c =
            new ContainerRecord(
                id,
                fullName,
                ContainerRuntime.now(),
                image,
                img.id(),
                configOf(body),
                hostConfig,
                network == null ? "none" : network.name(),
                network == null ? "" : network.id(),
                at == null ? "" : at.endpointId(),
                at == null ? "" : at.namespaceId(),
                at == null ? "" : at.ipAddress(),
                gateway,
                at == null ? "" : at.mac(),
                ports,
                ContainerRecord.ZERO_TIME,
                ContainerRecord.ZERO_TIME,
                0,
                0,
                false);
        Spec spec = spec(c, img, binds);
        runtime.prepare(c, spec);
        store.put(c);
        recorded = true;
      } catch (IOException e) {
        throw ApiException.internal("cannot create " + dir + ": " + e.getMessage(), e);
      } finally {
        if (!recorded) {
          undoCreate(id, at);
        }
      }
    }
    ContainerRecord c = store.find(id);
    events.publish("container", "create", id, ContainerRuntime.attrs(c));
    ObjectNode out = Json.object().put("Id", id);
    out.putArray("Warnings");
    return Json.reply(201, out);
  }

  private static byte[] bytes() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return b;
  }

  private void undoCreate(String id, ContainerNetwork.@Nullable Attachment at) {
    try {
      runtime.delete(new ContainerRecordStub(id).record());
    } catch (ApiException e) {
      // never created
    }
    if (at != null) {
      try {
        net.detach(at.endpointId(), at.namespaceId());
      } catch (ApiException e) {
        log.warn("undo create " + id + ": " + e.getMessage());
      }
    }
    try {
      store.remove(id);
    } catch (IOException e) {
      log.warn("undo create " + id + ": " + e.getMessage());
    }
  }

  /** A minimal record to address a compute system by id. */
  private record ContainerRecordStub(String id) {
    ContainerRecord record() {
      return new ContainerRecord(
          id,
          "/" + id,
          "",
          "",
          "",
          Json.object(),
          Json.object(),
          "",
          "",
          "",
          "",
          "",
          "",
          "",
          List.of(),
          "",
          "",
          0,
          0,
          false);
    }
  }

  /** The spec of the container's next run. */
  Spec spec(ContainerRecord c, ImageDetails img, List<ContainerSpec.Bind> binds)
      throws ApiException {
    List<Path> layers;
    try {
      layers = images.layerFolders(c.imageId());
    } catch (ImageException e) {
      throw ImageApi.error(e);
    }
    String hostname = Json.text(c.config(), "Hostname");
    JsonNode imageConfig = img.config() == null ? Json.object() : img.config();
    return ContainerSpec.build(
        new ContainerSpec.Input(
            imageConfig,
            c.config(),
            c.hostConfig(),
            hostname.isEmpty() ? c.shortId() : hostname,
            layers,
            store.scratch(c.id()),
            c.namespaceId().isEmpty() ? null : net.netnsPath(c.namespaceId()),
            binds,
            passwd(layers),
            ComputeService.knownCapabilities(),
            Runtime.getRuntime().availableProcessors()));
  }

  private static @Nullable String passwd(List<Path> layers) {
    for (Path l : layers.reversed()) {
      Path f = l.resolve("etc/passwd");
      if (Files.isRegularFile(f, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        try {
          return Files.readString(f);
        } catch (IOException e) {
          return null;
        }
      }
    }
    return null;
  }

  private static JsonNode configOf(JsonNode body) {
    ObjectNode c = body.deepCopy();
    c.remove("HostConfig");
    c.remove("NetworkingConfig");
    return c;
  }

  private String name(@Nullable String requested, String id) throws ApiException {
    if (requested == null || requested.isEmpty()) {
      for (int i = 0; ; i++) {
        String n = "/" + Names.random(RANDOM, i > 5);
        if (store.byName(n) == null) {
          return n;
        }
      }
    }
    if (!NAME.matcher(requested).matches()) {
      throw ApiException.badParameter(
          "Invalid container name (" + requested + "), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
    }
    String n = requested.startsWith("/") ? requested : "/" + requested;
    ContainerRecord other = store.byName(n);
    if (other != null) {
      throw ApiException.conflict(
          "Conflict. The container name \""
              + n
              + "\" is already in use by container \""
              + other.id()
              + "\". You have to remove (or rename) that container to be able to reuse that"
              + " name.");
    }
    return n;
  }

  private static Isolation isolation(String text) throws ApiException {
    return switch (text.toLowerCase(java.util.Locale.ROOT)) {
      case "", "default", "process" -> Isolation.PROCESS;
      case "hyperv" ->
          throw new ApiException(
              500,
              "hcsshim::CreateComputeSystem: "
                  + dev.silo.api.HResult.HCS_E_HYPERV_NOT_INSTALLED.message()
                  + " ("
                  + dev.silo.api.HResult.HCS_E_HYPERV_NOT_INSTALLED.hex()
                  + ")");
      default ->
          throw ApiException.badParameter(
              "invalid isolation \""
                  + text
                  + "\": silod supports 'default', 'process' or 'hyperv'");
    };
  }

  /** HostConfig.PortBindings → published ports; dockerd's "invalid port specification". */
  static List<ContainerRecord.PortBinding> ports(JsonNode bindings) throws ApiException {
    List<ContainerRecord.PortBinding> out = new ArrayList<>();
    if (bindings == null || bindings.isMissingNode() || bindings.isNull()) {
      return out;
    }
    for (Map.Entry<String, JsonNode> e : bindings.properties()) {
      String[] pp = e.getKey().split("/", 2);
      String proto = pp.length == 2 ? pp[1].toLowerCase(java.util.Locale.ROOT) : "tcp";
      if (!proto.equals("tcp") && !proto.equals("udp")) {
        throw ApiException.badParameter("invalid proto: " + proto);
      }
      int port = port(pp[0], false);
      for (JsonNode b : e.getValue()) {
        String hostIp = Json.text(b, "HostIp");
        if (!hostIp.isEmpty() && !hostIp.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}")) {
          throw ApiException.badParameter("invalid IP address: " + hostIp);
        }
        String hp = Json.text(b, "HostPort");
        int hostPort = hp.isEmpty() ? port : port(hp, false);
        out.add(new ContainerRecord.PortBinding(port, proto, hostIp, hostPort));
      }
    }
    return out;
  }

  private static int port(String text, boolean zeroOk) throws ApiException {
    try {
      int p = Integer.parseInt(text);
      if (p > (zeroOk ? -1 : 0) && p <= 65535) {
        return p;
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw ApiException.badParameter("invalid port specification: \"" + text + "\"");
  }

  private void checkPortsFree(List<ContainerRecord.PortBinding> ports, @Nullable String self)
      throws ApiException {
    for (ContainerRecord.PortBinding p : ports) {
      for (ContainerRecord c : store.list()) {
        if (c.id().equals(self)) {
          continue;
        }
        for (ContainerRecord.PortBinding o : c.ports()) {
          if (o.publicPort() == p.publicPort()
              && o.type().equals(p.type())
              && (o.hostIp().isEmpty() || p.hostIp().isEmpty() || o.hostIp().equals(p.hostIp()))) {
            throw ApiException.conflict(
                "Bind for "
                    + (p.hostIp().isEmpty() ? "0.0.0.0" : p.hostIp())
                    + ":"
                    + p.publicPort()
                    + " failed: port is already allocated");
          }
        }
      }
    }
  }

  private @Nullable NetworkRecord network(String mode) throws ApiException {
    return switch (mode) {
      case "", "default", "bridge", "nat" -> networks.find(NetworkRegistry.DEFAULT);
      case "none" -> null;
      case "host" -> throw ApiException.badParameter("network mode host is not supported by silod");
      default -> {
        if (mode.startsWith("container:")) {
          throw ApiException.badParameter("network mode " + mode + " is not supported by silod");
        }
        yield networks.find(mode);
      }
    };
  }

  /** HostConfig.Binds and Mounts: host directories must exist; names are local volumes. */
  List<ContainerSpec.Bind> binds(JsonNode hostConfig) throws ApiException {
    List<ContainerSpec.Bind> out = new ArrayList<>();
    for (String b : ContainerSpec.strings(hostConfig, "Binds")) {
      String[] f = b.split(":");
      if (f.length < 2 || f.length > 3 || f[1].isEmpty() || !f[1].startsWith("/")) {
        throw ApiException.badParameter("invalid volume specification: '" + b + "'");
      }
      boolean ro = f.length == 3 && List.of(f[2].split(",")).contains("ro");
      out.add(new ContainerSpec.Bind(source(f[0], b), f[1], ro));
    }
    for (JsonNode m : hostConfig.path("Mounts")) {
      String type = Json.text(m, "Type");
      String src = Json.text(m, "Source");
      String dst = Json.text(m, "Target");
      if (!type.equals("bind") && !type.equals("volume")) {
        throw ApiException.badParameter("mount type " + type + " is not supported by silod");
      }
      if (dst.isEmpty() || !dst.startsWith("/")) {
        throw ApiException.badParameter("invalid mount config: Target must be an absolute path");
      }
      if (type.equals("volume") && src.isEmpty()) {
        src = NetworkRegistry.newId();
      }
      out.add(new ContainerSpec.Bind(source(src, src), dst, m.path("ReadOnly").asBoolean(false)));
    }
    return out;
  }

  private String source(String src, String spec) throws ApiException {
    if (src.startsWith("/")) {
      if (!Files.exists(Path.of(src))) {
        throw ApiException.badParameter(
            "invalid mount config for type \"bind\": bind source path does not exist: " + src);
      }
      return src;
    }
    if (src.isEmpty()) {
      throw ApiException.badParameter("invalid volume specification: '" + spec + "'");
    }
    VolumeStore.Created v = volumes.create(src, Map.of(), Map.of());
    if (v.isNew()) {
      events.publish("volume", "create", src, Map.of("driver", "local"));
    }
    return volumes.mountpoint(src).toString();
  }

  // ---- lifecycle

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

  /** Makes the next run's compute system (Created), so that attach can come before start. */
  public void prepare(ContainerRecord c) throws ApiException {
    ContainerRecord now = store.find(c.id());
    ImageDetails img;
    try {
      img = images.inspect(now.imageId());
    } catch (ImageException e) {
      throw ImageApi.error(e);
    }
    runtime.prepare(now, spec(now, img, binds(now.hostConfig())));
  }

  /** Makes the next run's compute system if needed, then starts it. */
  void startRecord(ContainerRecord c) throws ApiException {
    ContainerRecord now = store.find(c.id());
    if (!runtime.prepared(now.id())) {
      prepare(now);
    }
    runtime.start(now);
  }

  private ApiResponse stop(ApiRequest req) throws ApiException {
    ContainerRecord c = find(req);
    if (!runtime.state(c).running()) {
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
    if (sig == Signals.SIGKILL) {
      runtime.live(c.id()).stopping = true;
    }
    runtime.signal(c, sig);
    Map<String, String> a = new java.util.HashMap<>(ContainerRuntime.attrs(c));
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
          java.util.function.BooleanSupplier done =
              switch (cond) {
                case "next-exit" -> () -> l.exits > exitsBefore || l.removed || !sink.isOpen();
                case "removed" -> () -> l.removed || !sink.isOpen();
                default -> {
                  yield () -> {
                    ContainerRecord now = store.get(id);
                    return now == null || !runtime.state(now).running() || !sink.isOpen();
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
    synchronized (createLock) {
      String n = name(newName, c.id());
      store.put(store.find(c.id()).withName(n));
    }
    Map<String, String> a = new java.util.HashMap<>(ContainerRuntime.attrs(store.find(c.id())));
    a.put("oldName", c.name());
    events.publish("container", "rename", c.id(), a);
    return ApiResponse.empty(204);
  }

  private ApiResponse remove(ApiRequest req) throws ApiException {
    ContainerRecord c = find(req);
    boolean force = req.flag("force");
    if (runtime.state(c).running() && !force) {
      throw ApiException.conflict(
          "cannot remove container \""
              + c.name()
              + "\": container is running: stop the container before removing or force remove");
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
      net.detach(c.endpointId(), c.namespaceId());
      try {
        store.remove(c.id());
      } catch (IOException e) {
        throw ApiException.internal("cannot remove " + c.id() + ": " + e.getMessage(), e);
      }
    }
    events.publish("container", "destroy", c.id(), ContainerRuntime.attrs(c));
    runtime.removed(c.id());
  }

  // ---- views

  private ApiResponse list(ApiRequest req) throws ApiException {
    boolean all = req.flag("all");
    Filters f = Filters.parse(req.param("filters"), LIST_FILTERS);
    ArrayNode out = Json.MAPPER.createArrayNode();
    List<ContainerRecord> records = store.list();
    records.sort((a, b) -> b.created().compareTo(a.created()));
    for (ContainerRecord c : records) {
      ContainerRuntime.State s = runtime.state(c);
      if (!all && !s.running() && !f.has("status") && !f.has("exited")) {
        continue;
      }
      if (!f.prefix("id", c.id())
          || !f.contains("name", c.name().substring(1))
          || !f.exact("status", s.status())
          || !f.labels("label", labels(c))
          || !f.exact("ancestor", c.image())
          || (f.has("exited")
              && (s.running() || !f.exact("exited", Integer.toString(s.exitCode()))))) {
        continue;
      }
      out.add(ContainerViews.summary(c, s, runtime));
    }
    return Json.reply(200, out);
  }

  private static Map<String, String> labels(ContainerRecord c) {
    Map<String, String> m = new java.util.TreeMap<>();
    c.config().path("Labels").properties().forEach(e -> m.put(e.getKey(), e.getValue().asText()));
    return m;
  }

  ObjectNode inspect(ContainerRecord c) {
    return ContainerViews.inspect(c, runtime.state(c), runtime, store);
  }
}
