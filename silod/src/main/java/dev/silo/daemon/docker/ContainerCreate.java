package dev.silo.daemon.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.silo.api.HResult;
import dev.silo.daemon.Log;
import dev.silo.daemon.http.ApiException;
import dev.silo.daemon.http.ApiRequest;
import dev.silo.daemon.http.ApiResponse;
import dev.silo.hcs.ComputeService;
import dev.silo.images.ImageDetails;
import dev.silo.images.ImageException;
import dev.silo.images.ImageService;
import dev.silo.images.Isolation;
import dev.silo.schema.oci.Spec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * {@code POST /containers/create}: validates the body (name, image, isolation, ports, network,
 * mounts), records the container and makes its first compute system; also owns container names
 * (create and rename take the same lock) and the spec of every later run.
 */
final class ContainerCreate {
  private static final Pattern NAME = Pattern.compile("^/?[a-zA-Z0-9][a-zA-Z0-9_.-]+$");
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String RESOLV_CONF = "/etc/resolv.conf";

  private final ContainerStore store;
  private final ContainerRuntime runtime;
  private final ImageService images;
  private final NetworkRegistry networks;
  private final ContainerNetwork net;
  private final ContainerMounts mounts;
  private final EventLog events;
  private final Log log;
  private final Object createLock = new Object();
  private final HostPorts hostPorts;

  ContainerCreate(
      ContainerStore store,
      ContainerRuntime runtime,
      ImageService images,
      NetworkRegistry networks,
      ContainerNetwork net,
      ContainerMounts mounts,
      EventLog events,
      Log log) {
    this.store = store;
    this.runtime = runtime;
    this.images = images;
    this.networks = networks;
    this.net = net;
    this.mounts = mounts;
    this.events = events;
    this.log = log;
    this.hostPorts = new HostPorts(net.hostNetns());
  }

  ApiResponse create(ApiRequest req) throws ApiException {
    JsonNode body = Json.body(req);
    BodyTypes.container(body);
    JsonNode hostConfig =
        ContainerMounts.nameAnonymousVolumes(
            body.path("HostConfig").isObject() ? body.get("HostConfig") : Json.object());
    String name = req.param("name");
    String image = Json.text(body, "Image");
    if (image.isEmpty()) {
      throw ApiException.badParameter("config cannot be empty in order to create a container");
    }
    Isolation isolation = isolation(Json.text(hostConfig, "Isolation"));
    String badPolicy = RestartManager.invalid(hostConfig);
    if (badPolicy != null) {
      throw ApiException.badParameter(badPolicy);
    }
    HealthCheck.checkBody(body);
    PortBindings.parse(hostConfig, body, Json.object()); // dockerd checks them before the image
    ImageDetails img;
    try {
      img = images.inspect(image);
      images.checkCompatible(image, isolation);
    } catch (ImageException e) {
      throw ImageApi.error(e);
    }
    List<PortBindings.Request> requested =
        PortBindings.parse(hostConfig, body, img.config() == null ? Json.object() : img.config());
    String id = HexFormat.of().formatHex(bytes());
    synchronized (createLock) {
      String fullName = name(name, id);
      String mode = Json.text(hostConfig, "NetworkMode");
      NetworkRecord network = network(mode);
      EndpointSettings asked = endpointSettings(body, mode, network);
      // NetworkMode none has no endpoint to publish on: dockerd publishes nothing either
      List<ContainerRecord.PortBinding> ports =
          network == null ? List.of() : hostPorts.allocate(requested, store.list());
      List<ContainerSpec.Bind> binds = mounts.binds(hostConfig);
      Path dir = store.dir(id);
      ContainerNetwork.Attachment at = null;
      boolean recorded = false;
      try {
        Files.createDirectories(store.scratch(id));
        if (network != null) {
          at = net.attach(id, network.hnsId(), ports, asked.ip());
        }
        ContainerRecord c =
            newRecord(
                id,
                fullName,
                image,
                img.id(),
                HealthCheck.withImageCheck(body, img.config()),
                hostConfig,
                network,
                at,
                ports,
                asked);
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

  /** The record of a container that has not run yet. */
  private static ContainerRecord newRecord(
      String id,
      String name,
      String image,
      String imageId,
      JsonNode body,
      JsonNode hostConfig,
      @Nullable NetworkRecord network,
      ContainerNetwork.@Nullable Attachment at,
      List<ContainerRecord.PortBinding> ports,
      EndpointSettings asked) {
    String gateway =
        network == null || network.ipam().isEmpty() ? "" : network.ipam().get(0).gateway();
    List<ContainerRecord.Endpoint> nets =
        network == null || at == null
            ? List.of()
            : List.of(
                new ContainerRecord.Endpoint(
                    network.name(),
                    network.id(),
                    at.endpointId(),
                    at.ipAddress(),
                    at.prefix(),
                    gateway,
                    at.mac(),
                    asked.ip(),
                    asked.aliases()));
    return new ContainerRecord(
        id,
        name,
        ContainerRuntime.now(),
        image,
        imageId,
        configOf(body),
        hostConfig,
        network == null ? "none" : network.name(),
        at == null ? "" : at.namespaceId(),
        nets,
        ports,
        ContainerRecord.ZERO_TIME,
        ContainerRecord.ZERO_TIME,
        0,
        0,
        false,
        false);
  }

  /**
   * {@code NetworkingConfig.EndpointsConfig}'s entry for the first network (--ip, --network-alias).
   */
  record EndpointSettings(String ip, List<String> aliases) {}

  /**
   * The create body's endpoint settings for {@code network}, keyed as the CLI keys them (the {@code
   * --network} value) or by the network's name or id; checked as connect checks them.
   */
  private static EndpointSettings endpointSettings(
      JsonNode body, String mode, @Nullable NetworkRecord network) throws ApiException {
    JsonNode all = body.path("NetworkingConfig").path("EndpointsConfig");
    if (network == null || !all.isObject()) {
      return new EndpointSettings("", List.of());
    }
    JsonNode ep = Json.object();
    for (String key : new String[] {mode, network.name(), network.id()}) {
      if (all.path(key).isObject()) {
        ep = all.get(key);
        break;
      }
    }
    String ip = Json.text(ep.path("IPAMConfig"), "IPv4Address");
    List<String> aliases = new ArrayList<>();
    ep.path("Aliases").forEach(a -> aliases.add(a.asText()));
    ContainerConnect.checkAddress(network, ip);
    if (!aliases.isEmpty() && network.predefined()) {
      throw ApiException.badParameter(
          "invalid endpoint settings:\n"
              + "network-scoped alias is supported only for containers in user defined networks");
    }
    return new EndpointSettings(ip, List.copyOf(aliases));
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
        net.detach(List.of(at.endpointId()), at.namespaceId());
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
          List.of(),
          List.of(),
          "",
          "",
          0,
          0,
          false,
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
    List<ContainerSpec.Bind> all = new ArrayList<>(binds);
    Path resolv = resolvConf(c);
    if (resolv != null && all.stream().noneMatch(b -> b.destination().equals(RESOLV_CONF))) {
      all.add(new ContainerSpec.Bind(resolv.toString(), RESOLV_CONF, false));
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
            all,
            passwd(layers),
            ComputeService.knownCapabilities(),
            Runtime.getRuntime().availableProcessors(),
            dockerInit()));
  }

  /**
   * The container's {@code /etc/resolv.conf} when it is on a network with the embedded DNS server:
   * that network's gateway as the one nameserver (Docker on Windows' choice; dockerd's is
   * 127.0.0.11), {@code ndots:0} as dockerd writes it. Null otherwise: the image's own file stays.
   */
  private @Nullable Path resolvConf(ContainerRecord c) throws ApiException {
    for (ContainerRecord.Endpoint e : c.networks()) {
      NetworkRecord n;
      try {
        n = networks.find(e.networkId());
      } catch (ApiException gone) {
        continue;
      }
      if (NetworkDns.serves(n)) {
        Path f = store.dir(c.id()).resolve("resolv.conf");
        try {
          Files.writeString(f, "nameserver " + n.ipam().get(0).gateway() + "\noptions ndots:0\n");
        } catch (IOException x) {
          throw ApiException.internal("cannot write " + f + ": " + x.getMessage(), x);
        }
        return f;
      }
    }
    return null;
  }

  /**
   * dockerd's default init-path, {@code docker-init} looked up in PATH (docker.io's link to
   * tini-static), else Debian's {@code tini-static} itself: a static init that also runs in images
   * without a libc.
   */
  private static @Nullable Path dockerInit() {
    String path = System.getenv("PATH");
    for (String name : List.of("docker-init", "tini-static")) {
      for (String dir : (path == null ? "/usr/local/bin:/usr/bin:/bin" : path).split(":", -1)) {
        Path p = Path.of(dir.isEmpty() ? "." : dir, name);
        if (Files.isExecutable(p)) {
          try {
            return p.toRealPath();
          } catch (IOException e) {
            return null;
          }
        }
      }
    }
    return null;
  }

  private static @Nullable String passwd(List<Path> layers) {
    for (Path l : layers.reversed()) {
      Path f = l.resolve("etc/passwd");
      if (Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
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

  /** Gives the container a new name, under the lock that create takes to claim names. */
  void rename(ContainerRecord c, String newName) throws ApiException {
    synchronized (createLock) {
      String n = name(newName, c.id());
      store.update(c.id(), r -> r.withName(n));
    }
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
    return switch (text.toLowerCase(Locale.ROOT)) {
      case "", "default", "process" -> Isolation.PROCESS;
      case "hyperv" ->
          throw new ApiException(
              500,
              "hcsshim::CreateComputeSystem: "
                  + HResult.HCS_E_HYPERV_NOT_INSTALLED.message()
                  + " ("
                  + HResult.HCS_E_HYPERV_NOT_INSTALLED.hex()
                  + ")");
      default ->
          throw ApiException.badParameter(
              "invalid isolation \""
                  + text
                  + "\": silod supports 'default', 'process' or 'hyperv'");
    };
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

  /** Makes the next run's compute system (Created), so that attach can come before start. */
  void prepare(ContainerRecord c) throws ApiException {
    ContainerRecord now = store.find(c.id());
    ImageDetails img;
    try {
      img = images.inspect(now.imageId());
    } catch (ImageException e) {
      throw ImageApi.error(e);
    }
    runtime.prepare(now, spec(now, img, mounts.binds(now.hostConfig())));
  }
}
