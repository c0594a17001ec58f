package dev.silo.schema.hcs;

import com.fasterxml.jackson.annotation.JsonValue;
import org.jspecify.annotations.Nullable;

/** How a layer or mapped-directory host path is given (hcsshim {@code schema2.PathType}). */
public enum PathType {
  ABSOLUTE_PATH("AbsolutePath"),
  VIRTUAL_SMB_SHARE_NAME("VirtualSmbShareName");

  private final String wireName;

  PathType(String wireName) {
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
  public static @Nullable PathType fromWireName(String wireName) {
    for (PathType v : values()) {
      if (v.wireName.equals(wireName)) {
        return v;
      }
    }
    return null;
  }
}
