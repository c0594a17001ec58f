package dev.silo.hcs.internal;

import dev.silo.schema.json.JsonException;
import dev.silo.schema.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What {@code <root>/<id>/state.json} records about a compute system, so that separate runhcs
 * processes (create, start, kill, delete) can act on the same container, as runc's state.json does.
 */
public record StoredContainer(
    String id,
    int initPid,
    long initStartTime,
    String bundle,
    String rootfs,
    String created,
    Map<String, String> annotations,
    String owner,
    String cgroupsPath,
    String isolation) {

  public StoredContainer {
    annotations = Map.copyOf(annotations);
  }

  public StoredContainer withInit(int pid, long startTime) {
    return new StoredContainer(
        id, pid, startTime, bundle, rootfs, created, annotations, owner, cgroupsPath, isolation);
  }

  public Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", id);
    m.put("initPid", initPid);
    m.put("initStartTime", initStartTime);
    m.put("bundle", bundle);
    m.put("rootfs", rootfs);
    m.put("created", created);
    m.put("annotations", new LinkedHashMap<>(annotations));
    m.put("owner", owner);
    m.put("cgroupsPath", cgroupsPath);
    m.put("isolation", isolation);
    return m;
  }

  public static StoredContainer fromJson(JsonObject o) throws JsonException {
    return new StoredContainer(
        o.string("id"),
        (int) o.longValue("initPid", 0),
        o.longValue("initStartTime", 0),
        o.string("bundle", ""),
        o.string("rootfs", ""),
        o.string("created", ""),
        o.stringMap("annotations"),
        o.string("owner", ""),
        o.string("cgroupsPath", ""),
        o.string("isolation", "Process"));
  }
}
