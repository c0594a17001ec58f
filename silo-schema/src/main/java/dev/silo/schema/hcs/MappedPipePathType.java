package dev.silo.schema.hcs;

import com.fasterxml.jackson.annotation.JsonValue;
import org.jspecify.annotations.Nullable;

/** How a mapped pipe's host path is given (hcsshim {@code schema2.MappedPipePathType}). */
public enum MappedPipePathType {
  ABSOLUTE_PATH("AbsolutePath"),
  VIRTUAL_SMB_PIPE_NAME("VirtualSmbPipeName");

  private final String wireName;

  MappedPipePathType(String wireName) {
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
  public static @Nullable MappedPipePathType fromWireName(String wireName) {
    for (MappedPipePathType v : values()) {
      if (v.wireName.equals(wireName)) {
        return v;
      }
    }
    return null;
  }
}
