package dev.silo.schema.hcs;

import com.fasterxml.jackson.annotation.JsonValue;
import org.jspecify.annotations.Nullable;

/** Compute-system state as HCS reports it (hcsshim {@code schema2.State}). */
public enum State {
  CREATED("Created"),
  RUNNING("Running"),
  PAUSED("Paused"),
  STOPPED("Stopped"),
  SAVED_AS_TEMPLATE("SavedAsTemplate"),
  UNKNOWN("Unknown");

  private final String wireName;

  State(String wireName) {
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
  public static @Nullable State fromWireName(String wireName) {
    for (State v : values()) {
      if (v.wireName.equals(wireName)) {
        return v;
      }
    }
    return null;
  }
}
