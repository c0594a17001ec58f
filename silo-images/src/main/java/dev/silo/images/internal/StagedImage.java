package dev.silo.images.internal;

import dev.silo.images.ImageReference;
import java.nio.file.Path;
import java.util.List;

/**
 * An image verified in {@code tmp/} and ready to enter the store: its config, manifest, layer files
 * and the references to give it.
 */
public record StagedImage(
    String id,
    byte[] config,
    byte[] manifest,
    String manifestMediaType,
    List<Layer> layers,
    List<ImageReference> tags) {
  public StagedImage {
    layers = List.copyOf(layers);
    tags = List.copyOf(tags);
  }

  /** A layer blob file and what it verified to: its own digest and its uncompressed diff id. */
  public record Layer(Path file, String blobDigest, String diffId, String mediaType, long size) {}
}
