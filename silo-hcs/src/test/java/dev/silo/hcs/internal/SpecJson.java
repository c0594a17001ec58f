package dev.silo.hcs.internal;

import dev.silo.schema.json.Json;
import dev.silo.schema.json.JsonException;
import dev.silo.schema.oci.OciSpecs;
import dev.silo.schema.oci.Spec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Test support: changes a spec through its config.json form, so a test states only the fields it
 * cares about (the records have up to 15 components).
 */
final class SpecJson {
  private SpecJson() {}

  /**
   * The spec after {@code change} edited its JSON object tree (maps and lists, as Json parses
   * them).
   */
  @SuppressWarnings("unchecked")
  static Spec edit(Spec spec, Consumer<Map<String, Object>> change) {
    try {
      Map<String, Object> root = (Map<String, Object>) Json.parse(OciSpecs.writeConfig(spec));
      if (root == null) {
        throw new AssertionError("config.json of a spec is null");
      }
      change.accept(root);
      return OciSpecs.parseConfig(Json.write(root));
    } catch (JsonException e) {
      throw new AssertionError("edited spec does not parse: " + e.getMessage(), e);
    }
  }

  /** The object under {@code key}, created empty if missing. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> object(Map<String, Object> parent, String key) {
    return (Map<String, Object>)
        parent.computeIfAbsent(key, k -> new LinkedHashMap<String, Object>());
  }

  /** The list under {@code key}, created empty if missing. */
  @SuppressWarnings("unchecked")
  static List<Object> list(Map<String, Object> parent, String key) {
    return (List<Object>) parent.computeIfAbsent(key, k -> new ArrayList<Object>());
  }

  /** A JSON object from alternating keys and values. */
  static Map<String, Object> obj(Object... keysAndValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      m.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return m;
  }
}
