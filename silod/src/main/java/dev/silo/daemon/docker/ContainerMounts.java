package dev.silo.daemon.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.silo.daemon.http.ApiException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code HostConfig.Binds} and {@code HostConfig.Mounts}: host directories must exist, names are
 * local volumes (made on first use, as dockerd does).
 */
final class ContainerMounts {
  private final VolumeStore volumes;
  private final EventLog events;

  ContainerMounts(VolumeStore volumes, EventLog events) {
    this.volumes = volumes;
    this.events = events;
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
      out.add(new ContainerSpec.Bind(source(f[0], b, Map.of()), f[1], ro));
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
        src = NetworkRegistry.newId(); // a record from before create named them
      }
      Map<String, String> labels = Json.strings(m.path("VolumeOptions"), "Labels");
      out.add(
          new ContainerSpec.Bind(
              source(src, src, labels), dst, m.path("ReadOnly").asBoolean(false)));
    }
    return out;
  }

  /**
   * The create body's HostConfig with a name for every volume Mount that has none, labelled
   * anonymous, as dockerd names them at create: every start and {@code docker cp} then mounts the
   * same volume, and {@code volume prune} knows it.
   */
  static JsonNode nameAnonymousVolumes(JsonNode hostConfig) {
    if (!hostConfig.path("Mounts").isArray() || !hostConfig.isObject()) {
      return hostConfig;
    }
    ObjectNode copy = ((ObjectNode) hostConfig).deepCopy();
    for (JsonNode m : copy.path("Mounts")) {
      if (m.isObject()
          && Json.text(m, "Type").equals("volume")
          && Json.text(m, "Source").isEmpty()) {
        ObjectNode mount = (ObjectNode) m;
        mount.put("Source", NetworkRegistry.newId());
        JsonNode options = mount.path("VolumeOptions");
        ObjectNode o = options.isObject() ? (ObjectNode) options : mount.putObject("VolumeOptions");
        JsonNode labels = o.path("Labels");
        (labels.isObject() ? (ObjectNode) labels : o.putObject("Labels"))
            .put(VolumeStore.ANONYMOUS, "");
      }
    }
    return copy;
  }

  private String source(String src, String spec, Map<String, String> labels) throws ApiException {
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
    VolumeStore.Created v = volumes.create(src, labels, Map.of());
    if (v.isNew()) {
      events.publish("volume", "create", src, Map.of("driver", "local"));
    }
    return volumes.mountpoint(src).toString();
  }

  /** Whether the container mounts the named volume. */
  static boolean uses(ContainerRecord c, String name) {
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
    return false;
  }
}
