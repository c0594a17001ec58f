package dev.silo.schema.hcs;

import com.fasterxml.jackson.annotation.JsonValue;
import org.jspecify.annotations.Nullable;

/**
 * Why a compute system exited, in a {@code SystemExit} attribution (hcsshim {@code
 * schema2.SystemExitDetail}).
 */
public enum SystemExitDetail {
  INVALID("Invalid"),
  HCS_API_FATAL_ERROR("HcsApiFatalError"),
  SERVICE_STOP("ServiceStop"),
  SHUTDOWN("Shutdown"),
  TERMINATE("Terminate"),
  UNEXPECTED_EXIT("UnexpectedExit");

  private final String wireName;

  SystemExitDetail(String wireName) {
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
  public static @Nullable SystemExitDetail fromWireName(String wireName) {
    for (SystemExitDetail v : values()) {
      if (v.wireName.equals(wireName)) {
        return v;
      }
    }
    return null;
  }
}
