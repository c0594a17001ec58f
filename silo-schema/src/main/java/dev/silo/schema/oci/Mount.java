package dev.silo.schema.oci;

import dev.silo.schema.json.JsonException;
import dev.silo.schema.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** One entry of {@code mounts}: a filesystem mounted on top of the root, in order. */
public record Mount(
    String destination,
    @Nullable String type,
    @Nullable String source,
    List<String> options,
    List<IdMapping> uidMappings,
    List<IdMapping> gidMappings)
    implements OciJson {

  public Mount {
    options = List.copyOf(options);
    uidMappings = List.copyOf(uidMappings);
    gidMappings = List.copyOf(gidMappings);
  }

  /** A mount without id mappings. */
  public Mount(String destination, String type, String source, List<String> options) {
    this(destination, type, source, options, List.of(), List.of());
  }

  public static Mount fromJson(JsonObject o) throws JsonException {
    return new Mount(
        o.string("destination", ""),
        Fields.optString(o, "type"),
        Fields.optString(o, "source"),
        o.strings("options"),
        Fields.list(o, "uidMappings", IdMapping.class),
        Fields.list(o, "gidMappings", IdMapping.class));
  }

  @Override
  public Map<String, Object> toJson() {
    return new Fields.Out()
        .put("destination", destination)
        .str("type", type)
        .str("source", source)
        .list("options", options)
        .list("uidMappings", uidMappings)
        .list("gidMappings", gidMappings)
        .build();
  }
}
