package dev.silo.schema.hcs;

import com.fasterxml.jackson.annotation.JsonValue;
import org.jspecify.annotations.Nullable;

/** What a graceful shutdown does to the system (hcsshim {@code schema2.ShutdownType}). */
public enum ShutdownType {
  SHUTDOWN("Shutdown"),
  HIBERNATE("Hibernate"),
  REBOOT("Reboot");

  private final String wireName;

  ShutdownType(String wireName) {
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
  public static @Nullable ShutdownType fromWireName(String wireName) {
    for (ShutdownType v : values()) {
      if (v.wireName.equals(wireName)) {
        return v;
      }
    }
    return null;
  }
}
