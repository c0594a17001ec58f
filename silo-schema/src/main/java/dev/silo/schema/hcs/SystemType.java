package dev.silo.schema.hcs;

import com.fasterxml.jackson.annotation.JsonValue;
import org.jspecify.annotations.Nullable;

/**
 * Kind of compute system in {@code Properties} and {@code SystemQuery} (hcsshim {@code
 * schema2.SystemType}).
 */
public enum SystemType {
  CONTAINER("Container"),
  VIRTUAL_MACHINE("VirtualMachine");

  private final String wireName;

  SystemType(String wireName) {
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
  public static @Nullable SystemType fromWireName(String wireName) {
    for (SystemType v : values()) {
      if (v.wireName.equals(wireName)) {
        return v;
      }
    }
    return null;
  }
}
