package dev.silo.schema.hcn;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Network driver of an HCN network (hcsshim {@code hcn.NetworkType}). */
public enum NetworkType {
  NAT("NAT"),
  TRANSPARENT("Transparent"),
  L2BRIDGE("L2Bridge"),
  L2TUNNEL("L2Tunnel"),
  ICS("ICS"),
  PRIVATE("Private"),
  OVERLAY("Overlay");

  private final String wireName;

  NetworkType(String wireName) {
    this.wireName = wireName;
  }

  @JsonValue
  public String wireName() {
    return wireName;
  }

  /**
   * Parses a type ignoring case: dockerd and the v1 API write {@code nat}, {@code l2bridge}, while
   * HCN writes {@code NAT}, {@code L2Bridge}.
   */
  @JsonCreator
  public static NetworkType of(String name) {
    for (NetworkType t : values()) {
      if (t.wireName.equalsIgnoreCase(name)) {
        return t;
      }
    }
    throw new IllegalArgumentException("unknown network Type " + name);
  }
}
