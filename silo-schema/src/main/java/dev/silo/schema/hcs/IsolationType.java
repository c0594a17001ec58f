package dev.silo.schema.hcs;

import com.fasterxml.jackson.annotation.JsonValue;
import org.jspecify.annotations.Nullable;

/**
 * Isolation of a process-isolated container (hcsshim {@code schema2.IsolationType}); Hyper-V is a
 * hosting VM instead.
 */
public enum IsolationType {
  PROCESS("Process"),
  HOST_PROCESS("HostProcess");

  private final String wireName;

  IsolationType(String wireName) {
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
  public static @Nullable IsolationType fromWireName(String wireName) {
    for (IsolationType v : values()) {
      if (v.wireName.equals(wireName)) {
        return v;
      }
    }
    return null;
  }
}
