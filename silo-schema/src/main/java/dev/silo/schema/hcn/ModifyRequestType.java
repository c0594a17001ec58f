package dev.silo.schema.hcn;

import com.fasterxml.jackson.annotation.JsonValue;

/** What a modify request does (hcsshim {@code hcn.RequestType}). */
public enum ModifyRequestType {
  ADD("Add"),
  REMOVE("Remove"),
  UPDATE("Update"),
  REFRESH("Refresh");

  private final String wireName;

  ModifyRequestType(String wireName) {
    this.wireName = wireName;
  }

  @JsonValue
  public String wireName() {
    return wireName;
  }
}
