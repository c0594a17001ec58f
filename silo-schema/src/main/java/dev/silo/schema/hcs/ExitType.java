package dev.silo.schema.hcs;

import com.fasterxml.jackson.annotation.JsonValue;
import org.jspecify.annotations.Nullable;

/**
 * How a compute system exited (hcsshim {@code schema2.NotificationType}): shutdown, terminate or
 * crash.
 */
public enum ExitType {
  NONE("None"),
  GRACEFUL_EXIT("GracefulExit"),
  FORCED_EXIT("ForcedExit"),
  UNEXPECTED_EXIT("UnexpectedExit"),
  UNKNOWN("Unknown");

  private final String wireName;

  ExitType(String wireName) {
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
  public static @Nullable ExitType fromWireName(String wireName) {
    for (ExitType v : values()) {
      if (v.wireName.equals(wireName)) {
        return v;
      }
    }
    return null;
  }
}
