package dev.silo.schema.oci;

import dev.silo.schema.json.JsonException;
import dev.silo.schema.json.JsonObject;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Reading helpers for the OCI records: Go's fixed-width integer types and nested record lists, with
 * errors that name the field path as {@link JsonObject} does.
 */
final class Fields {
  private static final long UINT32_MAX = 0xFFFF_FFFFL;

  private Fields() {}

  /** An omitempty string: absent, null and "" all read as null, as Go cannot tell them apart. */
  static @Nullable String optString(JsonObject o, String key) throws JsonException {
    String s = o.optString(key);
    return s == null || s.isEmpty() ? null : s;
  }

  static @Nullable Boolean optBool(JsonObject o, String key) throws JsonException {
    return o.has(key) ? o.bool(key, false) : null;
  }

  static @Nullable Long optUint32(JsonObject o, String key) throws JsonException {
    return checkRange(o.optLong(key), o.pathOf(key), 0, UINT32_MAX);
  }

  static long uint32(JsonObject o, String key) throws JsonException {
    Long v = optUint32(o, key);
    return v == null ? 0 : v;
  }

  static @Nullable Integer optUint16(JsonObject o, String key) throws JsonException {
    Long v = checkRange(o.optLong(key), o.pathOf(key), 0, 0xFFFF);
    return v == null ? null : v.intValue();
  }

  static int optInt(JsonObject o, String key) throws JsonException {
    Integer v = o.optInt(key);
    return v == null ? 0 : v;
  }

  /**
   * A uint64 field (values past 2^63-1 come back as their two's-complement bits). Negative numbers
   * are refused here because {@link JsonObject#optUnsigned} passes small negative longs through,
   * while Go will not put one into a uint64.
   */
  static @Nullable Long optUnsigned(JsonObject o, String key) throws JsonException {
    if (o.raw(key) instanceof Long l && l < 0) {
      throw new JsonException(o.pathOf(key) + ": " + l + " is out of range");
    }
    return o.optUnsigned(key);
  }

  /** A uint64 field without omitempty pointer semantics: absent reads as 0. */
  static long unsigned(JsonObject o, String key) throws JsonException {
    Long v = optUnsigned(o, key);
    return v == null ? 0 : v;
  }

  static List<Long> uint32s(JsonObject o, String key) throws JsonException {
    List<Long> values = o.longs(key);
    for (int i = 0; i < values.size(); i++) {
      checkRange(values.get(i), o.pathOf(key) + "[" + i + "]", 0, UINT32_MAX);
    }
    return values;
  }

  static <T> List<T> list(JsonObject o, String key, Class<T> type) throws JsonException {
    List<JsonObject> objects = o.objects(key);
    List<T> out = new ArrayList<>(objects.size());
    for (JsonObject item : objects) {
      out.add(Readers.read(type, item));
    }
    return out;
  }

  static <T> @Nullable T opt(JsonObject o, String key, Class<T> type) throws JsonException {
    JsonObject item = o.optObject(key);
    return item == null ? null : Readers.read(type, item);
  }

  /** An object field whose values are all records of one type (Go's map[string]T). */
  static <T> Map<String, T> objectMap(JsonObject o, String key, Class<T> type)
      throws JsonException {
    JsonObject m = o.optObject(key);
    Map<String, T> out = new LinkedHashMap<>();
    if (m != null) {
      for (String k : m.keys()) {
        out.put(k, Readers.read(type, m.object(k)));
      }
    }
    return out;
  }

  private static @Nullable Long checkRange(@Nullable Long v, String path, long min, long max)
      throws JsonException {
    if (v != null && (v < min || v > max)) {
      throw new JsonException(path + ": " + v + " is out of range");
    }
    return v;
  }

  /** A uint64 held in a long's bits, as the writer must print it. */
  static Object unsignedValue(long bits) {
    return bits >= 0 ? (Object) bits : new BigInteger(Long.toUnsignedString(bits));
  }

  /** Builds a JSON object in Go field order, leaving out what Go's {@code omitempty} leaves out. */
  static final class Out {
    private final Map<String, Object> map = new LinkedHashMap<>();

    Out put(String key, Object value) {
      map.put(key, toJsonValue(value));
      return this;
    }

    Out opt(String key, @Nullable Object value) {
      return value == null ? this : put(key, value);
    }

    Out str(String key, @Nullable String value) {
      return value == null || value.isEmpty() ? this : put(key, value);
    }

    Out flag(String key, boolean value) {
      return value ? put(key, true) : this;
    }

    Out nonZero(String key, long value) {
      return value == 0 ? this : put(key, value);
    }

    Out unsigned(String key, long bits) {
      return put(key, unsignedValue(bits));
    }

    Out optUnsigned(String key, @Nullable Long bits) {
      return bits == null ? this : unsigned(key, bits);
    }

    Out list(String key, List<?> values) {
      return values.isEmpty() ? this : put(key, toJsonList(values));
    }

    /** A Go map: written with sorted keys, as encoding/json does. */
    Out map(String key, Map<String, ?> values) {
      if (values.isEmpty()) {
        return this;
      }
      Map<String, Object> sorted = new TreeMap<>();
      for (Map.Entry<String, ?> e : values.entrySet()) {
        Object v = e.getValue();
        sorted.put(e.getKey(), toJsonValue(v));
      }
      return put(key, sorted);
    }

    Map<String, Object> build() {
      return map;
    }
  }

  static List<Object> toJsonList(List<?> values) {
    List<Object> out = new ArrayList<>(values.size());
    for (Object v : values) {
      out.add(toJsonValue(v));
    }
    return out;
  }

  /** Records become maps; ints widen to long so written trees equal parsed ones. */
  private static Object toJsonValue(Object v) {
    if (v instanceof OciJson j) {
      return j.toJson();
    }
    if (v instanceof Integer i) {
      return i.longValue();
    }
    return v;
  }
}
