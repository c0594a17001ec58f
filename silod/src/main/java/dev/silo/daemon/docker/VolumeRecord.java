package dev.silo.daemon.docker;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * A local volume's metadata, persisted as {@code DATAROOT/volumes/<name>/opts.json} beside its
 * {@code _data} directory.
 *
 * @param name volume name
 * @param createdAt RFC 3339 creation time
 * @param labels user labels
 * @param options driver options
 */
public record VolumeRecord(
    @JsonProperty("Name") String name,
    @JsonProperty("CreatedAt") String createdAt,
    @JsonProperty("Labels") Map<String, String> labels,
    @JsonProperty("Options") Map<String, String> options) {

  /** Copies the maps so the record stays immutable. */
  public VolumeRecord {
    labels = Map.copyOf(labels);
    options = Map.copyOf(options);
  }
}
