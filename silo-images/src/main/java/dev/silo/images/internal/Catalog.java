package dev.silo.images.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.silo.images.ImageException;
import dev.silo.linux.fs.FileTrees;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Image-level work on the store: reading images back, unpacking their layers, collecting garbage.
 */
public final class Catalog {
  private final ImageStore store;

  public Catalog(ImageStore store) {
    this.store = store;
  }

  public ImageStore store() {
    return store;
  }

  /** Reads the image {@code id} (which the index must hold) from its manifest and config. */
  public StoredImage image(String id) throws ImageException {
    ImageStore.ImageEntry e = store.refs().images.get(id);
    if (e == null) {
      throw new ImageException(ImageException.Kind.NOT_FOUND, "No such image: " + id);
    }
    try {
      JsonNode manifest = ImageStore.JSON.readTree(store.readBlob(e.manifest()));
      JsonNode config = ImageStore.JSON.readTree(store.readBlob(id));
      List<Manifests.Descriptor> layers = Manifests.layers(manifest, id);
      List<String> diffIds = Manifests.diffIds(config, layers.size(), id);
      return new StoredImage(
          id,
          e.manifest(),
          e.mediaType(),
          manifest,
          config,
          layers,
          diffIds,
          Digests.chainIds(diffIds));
    } catch (IOException ex) {
      throw new ImageException(
          ImageException.Kind.IO, "cannot read image " + id + " from the store: " + ex, ex);
    }
  }

  /**
   * Unpacks the stored blob {@code blobDigest} as layer {@code chainId} unless it is there,
   * checking that it unpacks to {@code diffId}.
   */
  public void ensureLayer(
      String blobDigest, String diffId, String chainId, String what, Consumer<String> onExtract)
      throws ImageException {
    if (store.hasLayer(chainId)) {
      return;
    }
    Path temp = null;
    try {
      temp = store.newTempDir("layer");
      onExtract.accept(chainId);
      LayerUnpacker.Result r;
      try (InputStream in = store.openBlob(blobDigest)) {
        r = LayerUnpacker.unpack(in, temp, what);
      }
      if (!r.diffId().equals(diffId)) {
        throw new ImageException(
            ImageException.Kind.BAD_ARCHIVE,
            what
                + ": layer "
                + blobDigest
                + " unpacks to "
                + r.diffId()
                + ", the config says "
                + diffId);
      }
      store.commitLayer(temp, chainId, diffId, r.size());
      temp = null;
    } catch (IOException e) {
      throw new ImageException(
          ImageException.Kind.IO, what + ": cannot unpack layer " + blobDigest + ": " + e, e);
    } finally {
      if (temp != null) {
        try {
          FileTrees.deleteTree(temp);
        } catch (IOException ignored) {
          // tmp/ is cleared on the next open
        }
      }
    }
  }

  /** Deletes every blob and layer that no indexed image uses. */
  public void collectGarbage() throws ImageException {
    Set<String> blobs = new HashSet<>();
    Set<String> layers = new HashSet<>();
    for (String id : store.refs().images.keySet()) {
      StoredImage img = image(id);
      blobs.add(id);
      blobs.add(img.manifestDigest());
      img.layers().forEach(l -> blobs.add(l.digest()));
      layers.addAll(img.chainIds());
    }
    try {
      store.collect(blobs, layers);
    } catch (IOException e) {
      throw new ImageException(ImageException.Kind.IO, "cannot collect unused layers: " + e, e);
    }
  }

  /** The summed uncompressed layer sizes (what Docker shows as an image's size). */
  public long size(StoredImage img) {
    long total = 0;
    for (String chain : img.chainIds()) {
      try {
        total += store.layerSize(chain);
      } catch (IOException e) {
        // a layer without its record counts as empty; layerFolders reports it missing
      }
    }
    return total;
  }
}
