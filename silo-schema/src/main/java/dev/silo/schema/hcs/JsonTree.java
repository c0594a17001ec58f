package dev.silo.schema.hcs;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Deep copies of the free-form JSON some HCS fields carry ({@code Settings}, {@code
 * OciSpecification}): maps and lists become unmodifiable copies in the same order (so they write
 * back byte for byte), JSON nulls inside them are kept, and any other value (a string, a number, a
 * schema record) is immutable already.
 */
final class JsonTree {
  private JsonTree() {}

  static @Nullable Object copyOf(@Nullable Object value) {
    if (value instanceof Map<?, ?> map) {
      Map<Object, @Nullable Object> copy = new LinkedHashMap<>();
      // Loops, not forEach lambdas: lambdas on runhcs's path cost start-up (docs/benchmarks.md).
      for (Map.Entry<?, ?> e : map.entrySet()) {
        copy.put(e.getKey(), copyOf(e.getValue()));
      }
      return Collections.unmodifiableMap(copy);
    }
    if (value instanceof List<?> list) {
      List<@Nullable Object> copy = new ArrayList<>(list.size());
      for (Object v : list) {
        copy.add(copyOf(v));
      }
      return Collections.unmodifiableList(copy);
    }
    return value;
  }
}
