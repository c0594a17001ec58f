package dev.silo.schema.hcs;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Container storage: read-only layers plus a scratch volume (hcsshim {@code schema2.Storage}).
 *
 * @param layers parent layers, top first (Silo: overlay lowerdir order)
 * @param path scratch volume, e.g. {@code \\?\Volume{…}\} (Silo: the overlay upper/work directory)
 * @param containerRootPath root of the container file system of a HostProcess container
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Storage(
    @JsonProperty("Layers") List<Layer> layers,
    @JsonProperty("Path") @Nullable String path,
    @JsonProperty("QoS") @Nullable StorageQoS qos,
    @JsonProperty("ContainerRootPath") @Nullable String containerRootPath) {

  /**
   * Copies collections so the record stays immutable; an absent (null) collection becomes empty.
   */
  public Storage {
    layers = Immutable.list(layers);
  }
}
