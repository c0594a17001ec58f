package dev.silo.schema.hcs;

import com.fasterxml.jackson.annotation.JsonValue;
import org.jspecify.annotations.Nullable;

/** Kind of change in a {@code ModifySettingRequest} (hcsshim {@code guestrequest.RequestType}). */
public enum RequestType {
  ADD("Add"),
  REMOVE("Remove"),
  UPDATE("Update"),
  PRE_ADD("PreAdd");

  private final String wireName;

  RequestType(String wireName) {
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
  public static @Nullable RequestType fromWireName(String wireName) {
    for (RequestType v : values()) {
      if (v.wireName.equals(wireName)) {
        return v;
      }
    }
    return null;
  }
}
