package dev.silo.schema.hcs;

import com.fasterxml.jackson.annotation.JsonValue;
import org.jspecify.annotations.Nullable;

/** What {@code HcsSaveComputeSystem} produces (hcsshim {@code schema2.SaveType}). */
public enum SaveType {
  TO_FILE("ToFile"),
  AS_TEMPLATE("AsTemplate");

  private final String wireName;

  SaveType(String wireName) {
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
  public static @Nullable SaveType fromWireName(String wireName) {
    for (SaveType v : values()) {
      if (v.wireName.equals(wireName)) {
        return v;
      }
    }
    return null;
  }
}
