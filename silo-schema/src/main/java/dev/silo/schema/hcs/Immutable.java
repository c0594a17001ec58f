package dev.silo.schema.hcs;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Defensive copies for the records' compact constructors, which Jackson calls with null for absent
 * fields.
 */
final class Immutable {
  private Immutable() {}

  static <T> List<T> list(@Nullable List<T> list) {
    return list == null ? List.of() : List.copyOf(list);
  }

  /**
   * Copies a map sorted by key: Go's encoding/json writes map keys sorted, so a sorted copy
   * serializes exactly as hcsshim would and round-trips byte for byte.
   */
  static <V> Map<String, V> sortedMap(@Nullable Map<String, V> map) {
    if (map == null) {
      return Map.of();
    }
    SortedMap<String, V> sorted = new TreeMap<>(Map.copyOf(map));
    return Collections.unmodifiableSortedMap(sorted);
  }
}
