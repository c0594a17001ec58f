package dev.silo.schema.hcs;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * Virtual devices of a VM (hcsshim {@code schema2.Devices}); each device group is kept as its raw
 * JSON tree until Silo types it.
 *
 * @param scsi SCSI controllers by name
 * @param networkAdapters network adapters by id
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Devices(
    @JsonProperty("VirtualSmb") @Nullable Object virtualSmb,
    @JsonProperty("Scsi") @Nullable Object scsi,
    @JsonProperty("VirtualPMem") @Nullable Object virtualPMem,
    @JsonProperty("NetworkAdapters") @Nullable Object networkAdapters,
    @JsonProperty("HvSocket") @Nullable Object hvSocket,
    @JsonProperty("Plan9") @Nullable Object plan9) {

  /** Copies collections and raw JSON trees so the record stays immutable. */
  public Devices {
    virtualSmb = JsonTree.copyOf(virtualSmb);
    scsi = JsonTree.copyOf(scsi);
    virtualPMem = JsonTree.copyOf(virtualPMem);
    networkAdapters = JsonTree.copyOf(networkAdapters);
    hvSocket = JsonTree.copyOf(hvSocket);
    plan9 = JsonTree.copyOf(plan9);
  }
}
