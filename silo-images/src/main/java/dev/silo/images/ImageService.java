package dev.silo.images;

import dev.silo.images.internal.ArchiveLoader;
import dev.silo.images.internal.ArchiveSaver;
import dev.silo.images.internal.BusyboxImage;
import dev.silo.images.internal.Catalog;
import dev.silo.images.internal.Digests;
import dev.silo.images.internal.ImageStore;
import dev.silo.images.internal.ImageViews;
import dev.silo.images.internal.RegistryTransfer;
import dev.silo.images.internal.StagedImage;
import dev.silo.images.internal.StoredImage;
import dev.silo.linux.fs.FileTrees;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The image service the daemon calls in-process (what dockerd's image service and containerd's
 * content/snapshot stores are to Windows' HCS): pull/push, load/save, tag/remove, inspect, the
 * unpacked layer folders a container stacks, and the host/image OS-version rule.
 *
 * <p>Every mutating call holds the store's lock (threads and processes wait their turn); readers
 * see the last committed index.
 */
public final class ImageService {
  private final ImageStore store;
  private final Catalog catalog;
  private final OsVersion hostVersion;
  private final ImageViews views;

  private ImageService(ImageStore store, OsVersion hostVersion) {
    this.store = store;
    this.catalog = new Catalog(store);
    this.hostVersion = hostVersion;
    this.views = new ImageViews(store, catalog);
  }

  /**
   * Opens (creating) the store under {@code dataRoot/images}; leftovers of a killed operation in
   * its {@code tmp/} are removed.
   */
  public static ImageService open(Path dataRoot, OsVersion hostVersion) throws ImageException {
    try {
      return new ImageService(ImageStore.open(dataRoot), hostVersion);
    } catch (IOException e) {
      throw new ImageException(
          ImageException.Kind.IO, "cannot open the image store in " + dataRoot + ": " + e, e);
    }
  }

  /** Opens the store with the host version of {@link OsVersion#hostDefault()}. */
  public static ImageService open(Path dataRoot) throws ImageException {
    return open(dataRoot, OsVersion.hostDefault());
  }

  /** The host's OS version the compatibility rule compares images with. */
  public OsVersion hostVersion() {
    return hostVersion;
  }

  // ---- registry

  /** Pulls {@code ref} for {@code linux/amd64}. */
  public ImageDetails pull(String ref, Consumer<Progress> progress) throws ImageException {
    return pull(ref, Platform.LINUX_AMD64, progress);
  }

  /**
   * Pulls {@code ref} (by tag or digest; from a manifest list, {@code platform}'s entry), storing
   * and verifying every blob and unpacking each layer once. An interrupted pull leaves only whole
   * blobs and layers, which a repeated pull reuses.
   */
  public ImageDetails pull(String ref, Platform platform, Consumer<Progress> progress)
      throws ImageException {
    ImageReference r = ImageReference.parse(ref);
    try (ImageStore.Lease lease = lock()) {
      String before =
          r.digest() != null
              ? store.refs().digests.get(r.name() + "@" + r.digest())
              : store.refs().tags.get(r.toString());
      RegistryTransfer.Pulled p;
      try {
        p = new RegistryTransfer(catalog).pull(r, platform, progress);
      } catch (ImageException e) {
        // a failed pull leaves no blob or layer behind (a killed one leaves whole ones to reuse)
        try {
          catalog.collectGarbage();
        } catch (ImageException suppressed) {
          e.addSuppressed(suppressed);
        }
        throw e;
      }
      ImageStore.Refs next = store.refs().copy();
      next.images.put(
          p.id(),
          new ImageStore.ImageEntry(
              p.manifestDigest(), p.manifestMediaType(), Instant.now().getEpochSecond()));
      if (r.digest() == null) {
        next.tags.put(r.toString(), p.id());
      }
      next.digests.put(r.name() + "@" + p.repoDigest(), p.id());
      save(next);
      String status =
          p.id().equals(before)
              ? "Status: Image is up to date for "
              : "Status: Downloaded newer image for ";
      progress.accept(new Progress("", status + r.familiar(), 0, 0));
      return views.details(p.id());
    }
  }

  /** Pushes the local image {@code ref} (a tag) to its registry; answers the manifest digest. */
  public String push(String ref, Consumer<Progress> progress) throws ImageException {
    ImageReference r = ImageReference.parse(ref);
    try (ImageStore.Lease lease = lock()) {
      StoredImage img = catalog.image(views.resolve(ref));
      String digest = new RegistryTransfer(catalog).push(r, img, progress);
      ImageStore.Refs next = store.refs().copy();
      next.digests.put(r.name() + "@" + digest, img.id());
      save(next);
      return digest;
    }
  }

  // ---- archives

  /**
   * Loads a {@code docker save} archive or an OCI image-layout archive (plain or gzip tar). Every
   * digest is verified before the store changes; a bad archive leaves nothing behind.
   */
  public List<ImageDetails> load(InputStream archive) throws ImageException {
    try (ImageStore.Lease lease = lock()) {
      Path stage = null;
      try {
        stage = store.newTempDir("load");
        List<StagedImage> images = new ArchiveLoader(stage, Platform.LINUX_AMD64).load(archive);
        List<ImageDetails> out = new ArrayList<>();
        for (String id : commit(images)) {
          out.add(views.details(id));
        }
        return out;
      } catch (IOException e) {
        throw new ImageException(ImageException.Kind.IO, "cannot load the archive: " + e, e);
      } finally {
        deleteQuietly(stage);
      }
    }
  }

  /** Writes {@code refs} as one archive that {@code docker load} reads (docker-archive + OCI). */
  public void save(List<String> refs, OutputStream out) throws ImageException {
    Map<String, ArchiveSaver.Entry> entries = new LinkedHashMap<>();
    for (String ref : refs) {
      String id = views.resolve(ref);
      List<ImageReference> tags = new ArrayList<>();
      if (ImageReference.looksLikeId(ref)
          && !store.refs().tags.containsKey(ImageViews.parsedOrEmpty(ref))) {
        tags.addAll(views.tagsOf(id));
      } else {
        ImageReference r = ImageReference.parse(ref);
        if (r.tag() != null && r.digest() == null) {
          tags.add(r);
        }
      }
      ArchiveSaver.Entry prev = entries.get(id);
      if (prev != null) {
        List<ImageReference> merged = new ArrayList<>(prev.tags());
        tags.stream().filter(t -> !merged.contains(t)).forEach(merged::add);
        tags = merged;
      }
      entries.put(id, new ArchiveSaver.Entry(catalog.image(id), tags));
    }
    try {
      new ArchiveSaver(store).save(List.copyOf(entries.values()), out);
    } catch (IOException e) {
      throw new ImageException(ImageException.Kind.IO, "cannot write the archive: " + e, e);
    }
  }

  // ---- local images

  /** Every image, newest first (Docker's {@code GET /images/json}). */
  public List<ImageSummary> list() throws ImageException {
    List<ImageSummary> out = new ArrayList<>();
    for (String id : store.refs().images.keySet()) {
      out.add(views.summary(id));
    }
    out.sort((a, b) -> Long.compare(b.created(), a.created()));
    return out;
  }

  /** Docker's {@code image inspect}. */
  public ImageDetails inspect(String ref) throws ImageException {
    return views.details(views.resolve(ref));
  }

  /** Gives the image {@code src} the tag {@code dst} (moving it from any other image). */
  public void tag(String src, String dst) throws ImageException {
    ImageReference d = ImageReference.parse(dst);
    if (d.digest() != null) {
      throw new ImageException(
          ImageException.Kind.INVALID_REFERENCE,
          "refusing to create a tag with a digest reference: " + dst);
    }
    try (ImageStore.Lease lease = lock()) {
      String id = views.resolve(src);
      ImageStore.Refs next = store.refs().copy();
      next.tags.put(d.toString(), id);
      save(next);
    }
  }

  /**
   * Removes {@code ref}: a tag or digest reference is untagged, and the image is deleted when no
   * tag is left; an image id deletes the image, which needs {@code force} while more than one tag
   * names it. Blobs and layers no image uses any more are deleted. Answers Docker's lines ({@code
   * Untagged: …}, {@code Deleted: …}).
   */
  public List<String> remove(String ref, boolean force) throws ImageException {
    try (ImageStore.Lease lease = lock()) {
      String id = views.resolve(ref);
      ImageStore.Refs next = store.refs().copy();
      List<String> lines = new ArrayList<>();
      boolean byId = views.isIdReference(ref, id);
      if (!byId) {
        ImageReference r = ImageReference.parse(ref);
        String key = r.digest() != null ? r.name() + "@" + r.digest() : r.toString();
        next.tags.remove(key);
        next.digests.remove(key);
        lines.add(
            "Untagged: "
                + r.familiarName()
                + (r.digest() != null ? "@" + r.digest() : ":" + r.tag()));
        if (next.tags.containsValue(id)) {
          save(next);
          return lines;
        }
      } else {
        List<ImageReference> tags = views.tagsOf(id);
        long repos = tags.stream().map(ImageReference::name).distinct().count();
        if (repos > 1 && !force) {
          throw new ImageException(
              ImageException.Kind.CONFLICT,
              "conflict: unable to delete "
                  + RegistryTransfer.shortId(id)
                  + " (must be forced) - image is referenced in multiple repositories");
        }
        tags.forEach(t -> lines.add("Untagged: " + t.familiar()));
      }
      for (Map.Entry<String, String> d : store.refs().digests.entrySet()) {
        if (d.getValue().equals(id) && next.digests.containsKey(d.getKey())) {
          lines.add("Untagged: " + views.familiarDigest(d.getKey()));
        }
      }
      next.removeImage(id);
      save(next);
      lines.add("Deleted: " + id);
      catalog.collectGarbage();
      return lines;
    }
  }

  /** Docker's {@code image history}: newest step first. */
  public List<HistoryEntry> history(String ref) throws ImageException {
    return views.history(views.resolve(ref));
  }

  /**
   * Builds a one-layer base image from Debian's busybox-static {@code /bin/busybox} (offline), with
   * {@code os.version} = the host's version, and tags it {@code ref}.
   */
  public ImageDetails buildBusybox(String ref) throws ImageException {
    return buildBusybox(ref, BusyboxImage.DEBIAN_BUSYBOX);
  }

  /** {@link #buildBusybox(String)} from another static busybox binary. */
  public ImageDetails buildBusybox(String ref, Path busybox) throws ImageException {
    ImageReference r = ImageReference.parse(ref);
    if (r.digest() != null) {
      throw new ImageException(
          ImageException.Kind.INVALID_REFERENCE, "a built image needs a tag, not a digest: " + ref);
    }
    try (ImageStore.Lease lease = lock()) {
      Path stage = null;
      try {
        stage = store.newTempDir("build");
        StagedImage img = BusyboxImage.build(busybox, hostVersion, r, stage);
        return views.details(commit(List.of(img)).getFirst());
      } catch (IOException e) {
        throw new ImageException(ImageException.Kind.IO, "cannot build " + ref + ": " + e, e);
      } finally {
        deleteQuietly(stage);
      }
    }
  }

  /**
   * Checks that a container of {@code image} may run here with {@code isolation} (the Windows rule,
   * see {@link OsVersion#canRun}); an image without {@code os.version} counts as the host's.
   *
   * @throws ImageException IMAGE_MISMATCH ({@code HCS_E_IMAGE_MISMATCH}) when it may not
   */
  public void checkCompatible(String image, Isolation isolation) throws ImageException {
    StoredImage img = catalog.image(views.resolve(image));
    String v = img.config().path("os.version").asText("");
    if (v.isEmpty()) {
      return;
    }
    OsVersion imageVersion;
    try {
      imageVersion = OsVersion.parse(v);
    } catch (IllegalArgumentException e) {
      throw new ImageException(
          ImageException.Kind.BAD_ARCHIVE, "image " + image + " has " + e.getMessage(), e);
    }
    if (!hostVersion.canRun(imageVersion, isolation)) {
      throw new ImageException(
          ImageException.Kind.IMAGE_MISMATCH,
          "image "
              + image
              + " (os.version "
              + imageVersion
              + ") cannot run with "
              + (isolation == Isolation.PROCESS ? "process" : "hyperv")
              + " isolation on host "
              + hostVersion
              + ": The container operating system does not match the host operating system.");
    }
  }

  /** The image's unpacked layer directories, lowest first (overlayfs wants them reversed). */
  public List<Path> layerFolders(String image) throws ImageException {
    StoredImage img = catalog.image(views.resolve(image));
    List<Path> out = new ArrayList<>();
    for (String chain : img.chainIds()) {
      if (!store.hasLayer(chain)) {
        throw new ImageException(
            ImageException.Kind.NOT_FOUND,
            "layer " + chain + " of image " + image + " is missing from the store; pull it again");
      }
      out.add(store.layerDir(chain));
    }
    return out;
  }

  /**
   * The OCI {@code windows.layerFolders} of a container of {@code image}: its layers top first,
   * then {@code scratch} (runtime-spec {@code config-windows.md}; HCS {@code Storage.Layers} +
   * {@code Path}).
   */
  public List<Path> ociLayerFolders(String image, Path scratch) throws ImageException {
    List<Path> out = new ArrayList<>(layerFolders(image).reversed());
    out.add(scratch);
    return out;
  }

  // ---- internals

  /** Moves staged images into the store and indexes them; answers their ids. */
  private List<String> commit(List<StagedImage> images) throws ImageException, IOException {
    List<String> ids = new ArrayList<>();
    try {
      for (StagedImage img : images) {
        List<String> chains =
            Digests.chainIds(img.layers().stream().map(StagedImage.Layer::diffId).toList());
        for (int i = 0; i < img.layers().size(); i++) {
          StagedImage.Layer l = img.layers().get(i);
          if (!store.hasBlob(l.blobDigest())) {
            store.commitBlob(l.file(), l.blobDigest());
          }
          catalog.ensureLayer(
              l.blobDigest(), l.diffId(), chains.get(i), "image " + img.id(), c -> {});
        }
        store.putBlob(img.config());
        store.putBlob(img.manifest());
      }
      ImageStore.Refs next = store.refs().copy();
      long now = Instant.now().getEpochSecond();
      for (StagedImage img : images) {
        next.images.put(
            img.id(),
            new ImageStore.ImageEntry(Digests.of(img.manifest()), img.manifestMediaType(), now));
        img.tags().forEach(t -> next.tags.put(t.toString(), img.id()));
        ids.add(img.id());
      }
      save(next);
      return ids;
    } catch (ImageException | IOException | RuntimeException e) {
      try {
        catalog.collectGarbage();
      } catch (ImageException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  private ImageStore.Lease lock() throws ImageException {
    try {
      return store.lock();
    } catch (IOException e) {
      throw new ImageException(ImageException.Kind.IO, "cannot lock the image store: " + e, e);
    }
  }

  private void save(ImageStore.Refs next) throws ImageException {
    try {
      store.saveRefs(next);
    } catch (IOException e) {
      throw new ImageException(ImageException.Kind.IO, "cannot write the image index: " + e, e);
    }
  }

  private static void deleteQuietly(@Nullable Path p) {
    if (p != null) {
      try {
        FileTrees.deleteTree(p);
      } catch (IOException ignored) {
        // tmp/ is cleared on the next open
      }
    }
  }
}
