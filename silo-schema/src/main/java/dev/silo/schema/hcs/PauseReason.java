package dev.silo.schema.hcs;

import com.fasterxml.jackson.annotation.JsonValue;
import org.jspecify.annotations.Nullable;

/** Why a VM is paused, as told to its guest (hcsshim {@code schema2.PauseReason}). */
public enum PauseReason {
  NONE("None"),
  SAVE("Save"),
  TEMPLATE("Template");

  private final String wireName;

  PauseReason(String wireName) {
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
  public static @Nullable PauseReason fromWireName(String wireName) {
    for (PauseReason v : values()) {
      if (v.wireName.equals(wireName)) {
        return v;
      }
    }
    return null;
  }
}
