package dev.silo.schema.hcn;

import java.util.List;
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

  /** Rejects settings whose record does not belong to the policy type, naming both. */
  static void checkSettings(
      String owner, String type, @Nullable Object settings, @Nullable Class<?> expected) {
    if (settings == null || expected == null || expected.isInstance(settings)) {
      return;
    }
    throw new IllegalArgumentException(
        owner
            + " policy Type "
            + type
            + " takes "
            + expected.getSimpleName()
            + " settings, not "
            + settings.getClass().getSimpleName());
  }
}
