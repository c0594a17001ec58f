package dev.silo.schema.hcs;

import com.fasterxml.jackson.annotation.JsonValue;
import org.jspecify.annotations.Nullable;

/** Who caused a compute system to exit (hcsshim {@code schema2.ExitInitiator}). */
public enum ExitInitiator {
  NONE("None"),
  GUEST_OS("GuestOS"),
  CLIENT("Client"),
  INTERNAL("Internal"),
  UNKNOWN("Unknown");

  private final String wireName;

  ExitInitiator(String wireName) {
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
  public static @Nullable ExitInitiator fromWireName(String wireName) {
    for (ExitInitiator v : values()) {
      if (v.wireName.equals(wireName)) {
        return v;
      }
    }
    return null;
  }
}
