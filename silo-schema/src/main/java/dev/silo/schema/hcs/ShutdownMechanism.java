package dev.silo.schema.hcs;

import com.fasterxml.jackson.annotation.JsonValue;
import org.jspecify.annotations.Nullable;

/** Channel a graceful shutdown goes through (hcsshim {@code schema2.ShutdownMechanism}). */
public enum ShutdownMechanism {
  GUEST_CONNECTION("GuestConnection"),
  INTEGRATION_SERVICE("IntegrationService");

  private final String wireName;

  ShutdownMechanism(String wireName) {
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
  public static @Nullable ShutdownMechanism fromWireName(String wireName) {
    for (ShutdownMechanism v : values()) {
      if (v.wireName.equals(wireName)) {
        return v;
      }
    }
    return null;
  }
}
