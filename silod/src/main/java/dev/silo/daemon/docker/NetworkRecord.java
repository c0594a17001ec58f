package dev.silo.daemon.docker;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * What dockerd keeps about a network beside the HNS object (as Docker on Windows does): its Docker
 * id and name, driver, labels, options, the IPAM it was asked for and the HNS network id it maps
 * to. Persisted as {@code DATAROOT/network/<id>.json}.
 *
 * @param id 64-hex Docker network id
 * @param name Docker name (also the HNS name)
 * @param hnsId the HNS network GUID
 * @param driver nat, transparent, l2bridge, l2tunnel, overlay
 * @param created RFC 3339 creation time
 * @param labels user labels
 * @param options driver options ({@code -o})
 * @param ipam the IPAM config as stored (subnet, gateway, ip range per block)
 * @param internal Docker's --internal flag
 * @param attachable Docker's --attachable flag
 * @param predefined the default network made at start (cannot be removed)
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record NetworkRecord(
    @JsonProperty("Id") String id,
    @JsonProperty("Name") String name,
    @JsonProperty("HnsId") String hnsId,
    @JsonProperty("Driver") String driver,
    @JsonProperty("Created") String created,
    @JsonProperty("Labels") Map<String, String> labels,
    @JsonProperty("Options") Map<String, String> options,
    @JsonProperty("Ipam") List<IpamBlock> ipam,
    @JsonProperty("Internal") boolean internal,
    @JsonProperty("Attachable") boolean attachable,
    @JsonProperty("Predefined") boolean predefined) {

  /** Copies the collections so the record stays immutable. */
  public NetworkRecord {
    labels = Map.copyOf(labels);
    options = Map.copyOf(options);
    ipam = List.copyOf(ipam);
  }

  /**
   * One IPAM config block as Docker shows it.
   *
   * @param subnet CIDR
   * @param gateway gateway address, empty when HNS picks it
   * @param ipRange the allocation range, empty for the whole subnet
   */
  public record IpamBlock(
      @JsonProperty("Subnet") String subnet,
      @JsonProperty("Gateway") String gateway,
      @JsonProperty("IPRange") String ipRange) {}
}
