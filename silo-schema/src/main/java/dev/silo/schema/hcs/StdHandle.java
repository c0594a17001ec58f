package dev.silo.schema.hcs;

import com.fasterxml.jackson.annotation.JsonValue;
import org.jspecify.annotations.Nullable;

/** Standard handle closed by a {@code CloseHandle} request (hcsshim {@code schema2.StdHandle}). */
public enum StdHandle {
  STD_IN("StdIn"),
  STD_OUT("StdOut"),
  STD_ERR("StdErr"),
  ALL("All");

  private final String wireName;

  StdHandle(String wireName) {
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
  public static @Nullable StdHandle fromWireName(String wireName) {
    for (StdHandle v : values()) {
      if (v.wireName.equals(wireName)) {
        return v;
      }
    }
    return null;
  }
}
