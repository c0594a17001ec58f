package dev.silo.schema.hcs;

import com.fasterxml.jackson.annotation.JsonValue;
import org.jspecify.annotations.Nullable;

/**
 * Change asked of a process by {@code HcsModifyProcess} (hcsshim {@code schema2.ModifyOperation}).
 */
public enum ModifyOperation {
  CONSOLE_SIZE("ConsoleSize"),
  CLOSE_HANDLE("CloseHandle");

  private final String wireName;

  ModifyOperation(String wireName) {
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
  public static @Nullable ModifyOperation fromWireName(String wireName) {
    for (ModifyOperation v : values()) {
      if (v.wireName.equals(wireName)) {
        return v;
      }
    }
    return null;
  }
}
