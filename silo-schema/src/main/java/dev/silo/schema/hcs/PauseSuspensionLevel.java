package dev.silo.schema.hcs;

import com.fasterxml.jackson.annotation.JsonValue;
import org.jspecify.annotations.Nullable;

/**
 * How deeply {@code HcsPauseComputeSystem} suspends (hcsshim {@code schema2.PauseSuspensionLevel}).
 */
public enum PauseSuspensionLevel {
  SUSPEND("Suspend"),
  MEMORY_LOW("MemoryLow"),
  MEMORY_MEDIUM("MemoryMedium"),
  MEMORY_HIGH("MemoryHigh");

  private final String wireName;

  PauseSuspensionLevel(String wireName) {
    this.wireName = wireName;
  }

  /** The string Windows puts on the wire for this value. */
  @JsonValue
  public String wireName() {
    return wireName;
  }

  /**
   * Looks a value up by its wire string; {@code null} when Windows sends one Silo does not know.
   */
  public static @Nullable PauseSuspensionLevel fromWireName(String wireName) {
    for (PauseSuspensionLevel v : values()) {
      if (v.wireName.equals(wireName)) {
        return v;
      }
    }
    return null;
  }
}
