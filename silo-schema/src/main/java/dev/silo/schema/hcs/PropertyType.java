package dev.silo.schema.hcs;

import com.fasterxml.jackson.annotation.JsonValue;
import org.jspecify.annotations.Nullable;

/**
 * Property group asked for by {@code HcsGetComputeSystemProperties} (hcsshim {@code
 * schema2.PropertyType}).
 */
public enum PropertyType {
  MEMORY("Memory"),
  GUEST_MEMORY("GuestMemory"),
  STATISTICS("Statistics"),
  PROCESS_LIST("ProcessList"),
  TERMINATE_ON_LAST_HANDLE_CLOSED("TerminateOnLastHandleClosed"),
  SHARED_MEMORY_REGION("SharedMemoryRegion"),
  CONTAINER_CREDENTIAL_GUARD("ContainerCredentialGuard"),
  GUEST_CONNECTION("GuestConnection"),
  IC_HEARTBEAT_STATUS("ICHeartbeatStatus"),
  PROCESSOR_TOPOLOGY("ProcessorTopology"),
  CPU_GROUP("CpuGroup"),
  SYSTEM_GUID("SystemGUID");

  private final String wireName;

  PropertyType(String wireName) {
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
  public static @Nullable PropertyType fromWireName(String wireName) {
    for (PropertyType v : values()) {
      if (v.wireName.equals(wireName)) {
        return v;
      }
    }
    return null;
  }
}
