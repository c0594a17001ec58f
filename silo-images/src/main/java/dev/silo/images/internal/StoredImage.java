package dev.silo.images.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * An image as the store holds it: id (config digest), manifest, config and its layers.
 *
 * @param layers the manifest's layer descriptors (blobs as stored, maybe compressed)
 * @param diffIds the config's uncompressed layer digests, lowest first
 * @param chainIds the layers' chain ids (keys of {@code layers/}), lowest first
 */
public record StoredImage(
    String id,
    String manifestDigest,
    String manifestMediaType,
    JsonNode manifest,
    JsonNode config,
    List<Manifests.Descriptor> layers,
    List<String> diffIds,
    List<String> chainIds) {
  public StoredImage {
    layers = List.copyOf(layers);
    diffIds = List.copyOf(diffIds);
    chainIds = List.copyOf(chainIds);
  }
}
