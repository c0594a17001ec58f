package dev.silo.schema.oci;

import dev.silo.schema.json.JsonException;
import dev.silo.schema.json.JsonObject;
import java.util.Map;

/**
 * A user-namespace id range ({@code LinuxIDMapping}): {@code size} ids from hostID shown as
 * containerID.
 */
public record IdMapping(long containerId, long hostId, long size) implements OciJson {

  public static IdMapping fromJson(JsonObject o) throws JsonException {
    return new IdMapping(
        Fields.uint32(o, "containerID"), Fields.uint32(o, "hostID"), Fields.uint32(o, "size"));
  }

  @Override
  public Map<String, Object> toJson() {
    return new Fields.Out()
        .put("containerID", containerId)
        .put("hostID", hostId)
        .put("size", size)
        .build();
  }
}
