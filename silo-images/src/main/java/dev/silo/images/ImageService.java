package dev.silo.images;

import com.fasterxml.jackson.databind.JsonNode;
import dev.silo.images.internal.ArchiveLoader;
import dev.silo.images.internal.ArchiveSaver;
import dev.silo.images.internal.BusyboxImage;
import dev.silo.images.internal.Catalog;
import dev.silo.images.internal.Digests;
import dev.silo.images.internal.ImageStore;
import dev.silo.images.internal.RegistryTransfer;
import dev.silo.images.internal.StagedImage;
import dev.silo.images.internal.StoredImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
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
 * <p>Every mutating call is serialised; readers see the last committed index.
 */
public final class ImageService {
  private final ImageStore store;
  private final Catalog catalog;
  private final OsVersion hostVersion;
  private final Object lock = new Object();

  private ImageService(ImageStore store, OsVersion hostVersion) {
    this.store = store;
    this.catalog = new Catalog(store);
    this.hostVersion = hostVersion;
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
    synchronized (lock) {
      RegistryTransfer.Pulled p = new RegistryTransfer(catalog).pull(r, platform, progress);
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
      progress.accept(new Progress("", "Status: Downloaded newer image for " + r.familiar(), 0, 0));
      return details(p.id());
    }
  }

  /** Pushes the local image {@code ref} (a tag) to its registry; answers the manifest digest. */
  public String push(String ref, Consumer<Progress> progress) throws ImageException {
    ImageReference r = ImageReference.parse(ref);
    synchronized (lock) {
      StoredImage img = catalog.image(resolve(ref));
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
    synchronized (lock) {
      Path stage = null;
      try {
        stage = store.newTempDir("load");
        List<StagedImage> images = new ArchiveLoader(stage, Platform.LINUX_AMD64).load(archive);
        List<ImageDetails> out = new ArrayList<>();
        for (String id : commit(images)) {
          out.add(details(id));
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
      String id = resolve(ref);
      List<ImageReference> tags = new ArrayList<>();
      if (ImageReference.looksLikeId(ref) && !store.refs().tags.containsKey(parsedOrEmpty(ref))) {
        tags.addAll(tagsOf(id));
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
      StoredImage img = catalog.image(id);
      out.add(
          new ImageSummary(
              id,
              "",
              tagsOf(id).stream().map(ImageReference::familiar).toList(),
              repoDigests(id),
              createdSeconds(img.config()),
              catalog.size(img),
              -1,
              labels(img.config()),
              -1));
    }
    out.sort((a, b) -> Long.compare(b.created(), a.created()));
    return out;
  }

  /** Docker's {@code image inspect}. */
  public ImageDetails inspect(String ref) throws ImageException {
    return details(resolve(ref));
  }

  /** Gives the image {@code src} the tag {@code dst} (moving it from any other image). */
  public void tag(String src, String dst) throws ImageException {
    ImageReference d = ImageReference.parse(dst);
    if (d.digest() != null) {
      throw new ImageException(
          ImageException.Kind.INVALID_REFERENCE,
          "refusing to create a tag with a digest reference: " + dst);
    }
    synchronized (lock) {
      String id = resolve(src);
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
    synchronized (lock) {
      String id = resolve(ref);
      ImageStore.Refs next = store.refs().copy();
      List<String> lines = new ArrayList<>();
      boolean byId = isIdReference(ref, id);
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
        List<ImageReference> tags = tagsOf(id);
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
          lines.add("Untagged: " + familiarDigest(d.getKey()));
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
    String id = resolve(ref);
    StoredImage img = catalog.image(id);
    List<HistoryEntry> steps = new ArrayList<>();
    int layer = 0;
    for (JsonNode h : img.config().path("history")) {
      long size = 0;
      if (!h.path("empty_layer").asBoolean(false) && layer < img.chainIds().size()) {
        size = layerSize(img.chainIds().get(layer++));
      }
      steps.add(
          new HistoryEntry(
              "<missing>",
              seconds(h.path("created").asText("")),
              h.path("created_by").asText(""),
              List.of(),
              size,
              h.path("comment").asText("")));
    }
    if (steps.isEmpty()) {
      steps.add(
          new HistoryEntry(id, createdSeconds(img.config()), "", List.of(), catalog.size(img), ""));
    }
    List<HistoryEntry> out = new ArrayList<>(steps.reversed());
    HistoryEntry top = out.getFirst();
    out.set(
        0,
        new HistoryEntry(
            id,
            top.created(),
            top.createdBy(),
            tagsOf(id).stream().map(ImageReference::familiar).toList(),
            top.size(),
            top.comment()));
    return out;
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
    synchronized (lock) {
      Path stage = null;
      try {
        stage = store.newTempDir("build");
        StagedImage img = BusyboxImage.build(busybox, hostVersion, r, stage);
        return details(commit(List.of(img)).getFirst());
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
    StoredImage img = catalog.image(resolve(image));
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
    StoredImage img = catalog.image(resolve(image));
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

  private void save(ImageStore.Refs next) throws ImageException {
    try {
      store.saveRefs(next);
    } catch (IOException e) {
      throw new ImageException(ImageException.Kind.IO, "cannot write the image index: " + e, e);
    }
  }

  /**
   * Resolves a tag, digest reference, full image id or id prefix to an image id.
   *
   * @throws ImageException NOT_FOUND ("No such image: …") or INVALID_REFERENCE
   */
  private String resolve(String ref) throws ImageException {
    ImageStore.Refs refs = store.refs();
    if (ImageReference.looksLikeId(ref)) {
      String hex = ref.startsWith("sha256:") ? ref.substring(7) : ref;
      List<String> hits =
          refs.images.keySet().stream().filter(id -> Digests.hex(id).startsWith(hex)).toList();
      if (hits.size() == 1) {
        return hits.getFirst();
      }
      if (ref.startsWith("sha256:")) {
        throw new ImageException(ImageException.Kind.NOT_FOUND, "No such image: " + ref);
      }
    }
    ImageReference r = ImageReference.parse(ref);
    String id =
        r.digest() != null
            ? refs.digests.get(r.name() + "@" + r.digest())
            : refs.tags.get(r.toString());
    if (id == null || !refs.images.containsKey(id)) {
      throw new ImageException(
          ImageException.Kind.NOT_FOUND,
          "No such image: " + r.familiar() + (r.digest() != null ? "@" + r.digest() : ""));
    }
    return id;
  }

  private boolean isIdReference(String ref, String id) {
    if (!ImageReference.looksLikeId(ref)) {
      return false;
    }
    String hex = ref.startsWith("sha256:") ? ref.substring(7) : ref;
    return Digests.hex(id).startsWith(hex) && !store.refs().tags.containsKey(parsedOrEmpty(ref));
  }

  private static String parsedOrEmpty(String ref) {
    try {
      return ImageReference.parse(ref).toString();
    } catch (ImageException e) {
      return "";
    }
  }

  private ImageDetails details(String id) throws ImageException {
    StoredImage img = catalog.image(id);
    JsonNode c = img.config();
    String variant = c.path("variant").asText("");
    String osVersion = c.path("os.version").asText("");
    return new ImageDetails(
        id,
        tagsOf(id).stream().map(ImageReference::familiar).toList(),
        repoDigests(id),
        "",
        c.path("comment").asText(""),
        c.path("created").asText(""),
        c.path("author").asText(""),
        c.has("config") ? c.get("config") : null,
        c.path("architecture").asText(""),
        variant.isEmpty() ? null : variant,
        c.path("os").asText(""),
        osVersion.isEmpty() ? null : osVersion,
        catalog.size(img),
        new ImageDetails.RootFs(c.path("rootfs").path("type").asText("layers"), img.diffIds()));
  }

  private List<ImageReference> tagsOf(String id) {
    List<ImageReference> out = new ArrayList<>();
    store
        .refs()
        .tags
        .forEach(
            (k, v) -> {
              if (v.equals(id)) {
                try {
                  out.add(ImageReference.parse(k));
                } catch (ImageException e) {
                  // the index only holds references that parsed
                }
              }
            });
    return out;
  }

  private List<String> repoDigests(String id) {
    List<String> out = new ArrayList<>();
    store
        .refs()
        .digests
        .forEach(
            (k, v) -> {
              if (v.equals(id)) {
                out.add(familiarDigest(k));
              }
            });
    return out;
  }

  private static String familiarDigest(String key) {
    try {
      ImageReference r = ImageReference.parse(key);
      return r.familiarName() + "@" + r.digest();
    } catch (ImageException e) {
      return key;
    }
  }

  private long layerSize(String chain) {
    try {
      return store.layerSize(chain);
    } catch (IOException e) {
      return 0;
    }
  }

  private static Map<String, String> labels(JsonNode config) {
    Map<String, String> out = new LinkedHashMap<>();
    config
        .path("config")
        .path("Labels")
        .fields()
        .forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
    return out;
  }

  private static long createdSeconds(JsonNode config) {
    return seconds(config.path("created").asText(""));
  }

  private static long seconds(String rfc3339) {
    if (rfc3339.isEmpty()) {
      return 0;
    }
    try {
      return OffsetDateTime.parse(rfc3339).toEpochSecond();
    } catch (DateTimeParseException e) {
      return 0;
    }
  }

  private static void deleteQuietly(@Nullable Path p) {
    if (p != null) {
      try {
        ImageStore.deleteTree(p);
      } catch (IOException ignored) {
        // tmp/ is cleared on the next open
      }
    }
  }
}
