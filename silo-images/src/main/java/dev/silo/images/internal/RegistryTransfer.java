package dev.silo.images.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.silo.images.ImageException;
import dev.silo.images.ImageReference;
import dev.silo.images.Platform;
import dev.silo.images.Progress;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/** Pull and push between the store and a registry, with Docker-style progress. */
public final class RegistryTransfer {
  private static final long PROGRESS_STEP = 256 * 1024;

  private final Catalog catalog;
  private final ImageStore store;

  public RegistryTransfer(Catalog catalog) {
    this.catalog = catalog;
    this.store = catalog.store();
  }

  /** What a pull fetched: the image's manifest and the digest the reference resolved to. */
  public record Pulled(
      String id, String manifestDigest, String manifestMediaType, String repoDigest) {}

  /**
   * Fetches {@code ref}'s manifest (picking {@code platform} from a list), config and layer blobs
   * into the store, each verified, and unpacks the layers. The index is not touched.
   */
  public Pulled pull(ImageReference ref, Platform platform, Consumer<Progress> progress)
      throws ImageException {
    RegistryClient client = new RegistryClient(ref);
    String what = ref.familiar() + (ref.digest() != null ? "@" + ref.digest() : "");
    String reference = ref.digest() != null ? ref.digest() : ref.tag();
    if (reference == null) {
      throw new ImageException(ImageException.Kind.INVALID_REFERENCE, "nothing to pull in " + ref);
    }
    RegistryClient.Fetched top = client.manifest(reference);
    RegistryClient.Fetched man = top;
    if (Manifests.isIndex(top.mediaType())) {
      Manifests.Descriptor d = Manifests.pick(top.doc(), platform, what);
      man = client.manifest(d.digest());
    }
    if (!Manifests.isManifest(man.mediaType())) {
      throw new ImageException(
          ImageException.Kind.REGISTRY,
          what + ": unsupported manifest media type \"" + man.mediaType() + "\"");
    }
    Manifests.Descriptor cfg = Manifests.config(man.doc(), what);
    List<Manifests.Descriptor> layers = Manifests.layers(man.doc(), what);
    fetch(client, cfg, what, "", progress);
    JsonNode config;
    try {
      config = ImageStore.JSON.readTree(store.readBlob(cfg.digest()));
    } catch (IOException e) {
      throw new ImageException(
          ImageException.Kind.REGISTRY, what + ": config " + cfg.digest() + " is not JSON", e);
    }
    List<String> diffIds = Manifests.diffIds(config, layers.size(), what);
    List<String> chainIds = Digests.chainIds(diffIds);
    for (Manifests.Descriptor l : layers) {
      progress.accept(new Progress(shortId(l.digest()), "Pulling fs layer", 0, 0));
    }
    for (int i = 0; i < layers.size(); i++) {
      Manifests.Descriptor l = layers.get(i);
      String id = shortId(l.digest());
      if (store.hasLayer(chainIds.get(i))) {
        progress.accept(new Progress(id, "Already exists", 0, 0));
        continue;
      }
      fetch(client, l, what, id, progress);
      progress.accept(new Progress(id, "Download complete", 0, 0));
      catalog.ensureLayer(
          l.digest(),
          diffIds.get(i),
          chainIds.get(i),
          what,
          c -> progress.accept(new Progress(id, "Extracting", 0, l.size())));
      progress.accept(new Progress(id, "Pull complete", 0, 0));
    }
    try {
      store.putBlob(man.body());
    } catch (IOException e) {
      throw new ImageException(ImageException.Kind.IO, what + ": cannot store the manifest", e);
    }
    progress.accept(new Progress("", "Digest: " + top.digest(), 0, 0));
    return new Pulled(cfg.digest(), man.digest(), man.mediaType(), top.digest());
  }

  /** Downloads one blob into the store unless it is there, verifying digest and size. */
  private void fetch(
      RegistryClient client,
      Manifests.Descriptor d,
      String what,
      String id,
      Consumer<Progress> progress)
      throws ImageException {
    if (store.hasBlob(d.digest())) {
      return;
    }
    Path temp = null;
    try {
      temp = store.newTempFile("blob");
      RegistryClient.Blob blob = client.blob(d.digest());
      long total = d.size() >= 0 ? d.size() : blob.length();
      Digests.Counting in = new Digests.Counting(blob.body());
      try (in;
          OutputStream out = Files.newOutputStream(temp)) {
        byte[] buf = new byte[65536];
        long reported = 0;
        int n;
        while ((n = in.read(buf)) >= 0) {
          out.write(buf, 0, n);
          if (!id.isEmpty() && in.count() - reported >= PROGRESS_STEP) {
            reported = in.count();
            progress.accept(new Progress(id, "Downloading", reported, total));
          }
        }
      }
      if (!in.digest().equals(d.digest()) || (d.size() >= 0 && in.count() != d.size())) {
        throw new ImageException(
            ImageException.Kind.REGISTRY,
            what
                + ": blob "
                + d.digest()
                + " arrived with digest "
                + in.digest()
                + " and "
                + in.count()
                + " bytes (expected "
                + d.size()
                + ")");
      }
      store.commitBlob(temp, d.digest());
      temp = null;
    } catch (IOException e) {
      throw new ImageException(
          ImageException.Kind.REGISTRY, what + ": downloading " + d.digest() + " failed: " + e, e);
    } finally {
      if (temp != null) {
        try {
          Files.deleteIfExists(temp);
        } catch (IOException ignored) {
          // tmp/ is cleared on the next open
        }
      }
    }
  }

  /** Uploads {@code img}'s layers, config and manifest as {@code ref}; answers the digest. */
  public String push(ImageReference ref, StoredImage img, Consumer<Progress> progress)
      throws ImageException {
    String tag = ref.tag();
    if (tag == null || ref.digest() != null) {
      throw new ImageException(
          ImageException.Kind.INVALID_REFERENCE,
          "push needs a tag, not a digest: " + ref.familiarName());
    }
    RegistryClient client = new RegistryClient(ref);
    progress.accept(
        new Progress("", "The push refers to repository [" + ref.familiarName() + "]", 0, 0));
    for (Manifests.Descriptor l : img.layers()) {
      upload(client, l.digest(), shortId(l.digest()), progress);
    }
    upload(client, img.id(), "", progress);
    byte[] manifest;
    try {
      manifest = store.readBlob(img.manifestDigest());
    } catch (IOException e) {
      throw new ImageException(ImageException.Kind.IO, "cannot read the manifest of " + ref, e);
    }
    String digest = client.putManifest(tag, manifest, img.manifestMediaType());
    progress.accept(
        new Progress("", tag + ": digest: " + digest + " size: " + manifest.length, 0, 0));
    return digest;
  }

  private void upload(RegistryClient client, String digest, String id, Consumer<Progress> progress)
      throws ImageException {
    if (!id.isEmpty()) {
      progress.accept(new Progress(id, "Preparing", 0, 0));
    }
    if (client.hasBlob(digest)) {
      if (!id.isEmpty()) {
        progress.accept(new Progress(id, "Layer already exists", 0, 0));
      }
      return;
    }
    long size;
    try {
      size = store.blobSize(digest);
    } catch (IOException e) {
      throw new ImageException(ImageException.Kind.IO, "blob " + digest + " is missing", e);
    }
    if (!id.isEmpty()) {
      progress.accept(new Progress(id, "Pushing", 0, size));
    }
    client.upload(digest, store.blobPath(digest));
    if (!id.isEmpty()) {
      progress.accept(new Progress(id, "Pushed", size, size));
    }
  }

  /** Docker's 12-digit short form of a digest. */
  public static String shortId(String digest) {
    String hex = Digests.hex(digest);
    return hex.substring(0, Math.min(12, hex.length()));
  }
}
