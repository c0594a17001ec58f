package dev.silo.schema.json;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A parsed JSON object with typed accessors; every type error names the field by its dotted path
 * (for example {@code linux.resources.memory.limit: expected an integer, got a string}).
 */
public final class JsonObject {
  private final Map<String, @Nullable Object> map;
  private final String path;

  private JsonObject(Map<String, @Nullable Object> map, String path) {
    this.map = map;
    this.path = path;
  }

  @SuppressWarnings("unchecked")
  static JsonObject wrap(Object value, String path) {
    return new JsonObject((Map<String, @Nullable Object>) value, path);
  }

  /** An empty object, for documents that leave a section out. */
  public static JsonObject empty(String path) {
    return new JsonObject(new LinkedHashMap<>(), path);
  }

  /** The dotted path of this object in its document ("" for the top level). */
  public String path() {
    return path;
  }

  /** The dotted path of a field of this object. */
  public String pathOf(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  public boolean has(String key) {
    return map.containsKey(key) && map.get(key) != null;
  }

  public Set<String> keys() {
    return Collections.unmodifiableSet(map.keySet());
  }

  /** The underlying map (insertion order kept), for writing back. */
  public Map<String, @Nullable Object> asMap() {
    return Collections.unmodifiableMap(map);
  }

  public @Nullable Object raw(String key) {
    return map.get(key);
  }

  public String string(String key) throws JsonException {
    String s = optString(key);
    if (s == null) {
      throw missing(key);
    }
    return s;
  }

  public @Nullable String optString(String key) throws JsonException {
    Object v = map.get(key);
    if (v == null || v instanceof String) {
      return (String) v;
    }
    throw wrongType(pathOf(key), "a string", v);
  }

  public String string(String key, String fallback) throws JsonException {
    String s = optString(key);
    return s == null ? fallback : s;
  }

  public boolean bool(String key, boolean fallback) throws JsonException {
    Object v = map.get(key);
    if (v == null) {
      return fallback;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    throw wrongType(pathOf(key), "a boolean", v);
  }

  public @Nullable Long optLong(String key) throws JsonException {
    return toLong(map.get(key), pathOf(key), false);
  }

  public long longValue(String key, long fallback) throws JsonException {
    Long v = optLong(key);
    return v == null ? fallback : v;
  }

  /** A uint64 field: values up to 2^64-1 are returned as their two's-complement long bits. */
  public @Nullable Long optUnsigned(String key) throws JsonException {
    return toLong(map.get(key), pathOf(key), true);
  }

  public @Nullable Integer optInt(String key) throws JsonException {
    Long v = optLong(key);
    if (v == null) {
      return null;
    }
    if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
      throw new JsonException(pathOf(key) + ": " + v + " is out of range");
    }
    return v.intValue();
  }

  public @Nullable JsonObject optObject(String key) throws JsonException {
    Object v = map.get(key);
    if (v == null) {
      return null;
    }
    if (v instanceof Map<?, ?>) {
      return wrap(v, pathOf(key));
    }
    throw wrongType(pathOf(key), "an object", v);
  }

  public JsonObject object(String key) throws JsonException {
    JsonObject o = optObject(key);
    if (o == null) {
      throw missing(key);
    }
    return o;
  }

  /** The objects of an array field; empty when the field is absent or null. */
  public List<JsonObject> objects(String key) throws JsonException {
    List<@Nullable Object> list = list(key);
    List<JsonObject> out = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      Object v = list.get(i);
      String p = pathOf(key) + "[" + i + "]";
      if (!(v instanceof Map<?, ?>)) {
        throw wrongType(p, "an object", v);
      }
      out.add(wrap(v, p));
    }
    return out;
  }

  /** The strings of an array field; empty when absent. */
  public List<String> strings(String key) throws JsonException {
    List<@Nullable Object> list = list(key);
    List<String> out = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      Object v = list.get(i);
      if (!(v instanceof String s)) {
        throw wrongType(pathOf(key) + "[" + i + "]", "a string", v);
      }
      out.add(s);
    }
    return out;
  }

  /** The integers of an array field; empty when absent. */
  public List<Long> longs(String key) throws JsonException {
    List<@Nullable Object> list = list(key);
    List<Long> out = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      Long v = toLong(list.get(i), pathOf(key) + "[" + i + "]", true);
      if (v == null) {
        throw wrongType(pathOf(key) + "[" + i + "]", "an integer", null);
      }
      out.add(v);
    }
    return out;
  }

  /** An object field whose values are all strings; empty when absent. */
  public Map<String, String> stringMap(String key) throws JsonException {
    JsonObject o = optObject(key);
    Map<String, String> out = new LinkedHashMap<>();
    if (o == null) {
      return out;
    }
    for (String k : o.keys()) {
      out.put(k, o.string(k));
    }
    return out;
  }

  /** Whether the array field is present (even if empty), as opposed to absent or null. */
  public boolean hasList(String key) {
    return map.get(key) instanceof List<?>;
  }

  @SuppressWarnings("unchecked")
  private List<@Nullable Object> list(String key) throws JsonException {
    Object v = map.get(key);
    if (v == null) {
      return List.of();
    }
    if (v instanceof List<?>) {
      return (List<@Nullable Object>) v;
    }
    throw wrongType(pathOf(key), "an array", v);
  }

  private static @Nullable Long toLong(@Nullable Object v, String path, boolean unsigned)
      throws JsonException {
    if (v == null) {
      return null;
    }
    if (v instanceof Long l) {
      return l;
    }
    if (v instanceof BigInteger big) {
      if (unsigned && big.signum() >= 0 && big.bitLength() <= 64) {
        return big.longValue();
      }
      throw new JsonException(path + ": " + big + " is out of range");
    }
    if (v instanceof Double d && d == Math.rint(d) && Math.abs(d) < 9.0e15) {
      return d.longValue();
    }
    throw wrongType(path, "an integer", v);
  }

  private JsonException missing(String key) {
    return new JsonException(pathOf(key) + ": required field is missing");
  }

  private static JsonException wrongType(String path, String expected, @Nullable Object got) {
    return new JsonException(path + ": expected " + expected + ", got " + describe(got));
  }

  private static String describe(@Nullable Object v) {
    // instanceof, not a pattern switch (spun at run time: docs/benchmarks.md).
    if (v == null) {
      return "null";
    } else if (v instanceof String) {
      return "a string";
    } else if (v instanceof Boolean) {
      return "a boolean";
    } else if (v instanceof Number) {
      return "a number";
    } else if (v instanceof Map<?, ?>) {
      return "an object";
    } else if (v instanceof List<?>) {
      return "an array";
    }
    return v.getClass().getSimpleName();
  }
}
