package dev.silo.schema.hcs;

import com.fasterxml.jackson.annotation.JsonValue;
import org.jspecify.annotations.Nullable;

/** Kind of device a UEFI boot entry points at (hcsshim {@code schema2.UefiBootDevice}). */
public enum UefiBootDevice {
  SCSI_DRIVE("ScsiDrive"),
  VMB_FS("VmbFs"),
  NETWORK("Network"),
  FILE("File");

  private final String wireName;

  UefiBootDevice(String wireName) {
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
  public static @Nullable UefiBootDevice fromWireName(String wireName) {
    for (UefiBootDevice v : values()) {
      if (v.wireName.equals(wireName)) {
        return v;
      }
    }
    return null;
  }
}
