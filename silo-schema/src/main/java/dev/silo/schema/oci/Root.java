package dev.silo.schema.oci;

import dev.silo.schema.json.JsonException;
import dev.silo.schema.json.JsonObject;
import java.util.Map;

/**
 * The container's root filesystem ({@code root}); on Windows a volume GUID path, unused with
 * Hyper-V.
 */
public record Root(String path, boolean readonly) implements OciJson {

  public static Root fromJson(JsonObject o) throws JsonException {
    return new Root(o.string("path", ""), o.bool("readonly", false));
  }

  @Override
  public Map<String, Object> toJson() {
    return new Fields.Out().put("path", path).flag("readonly", readonly).build();
  }
}
