package dev.silo.images.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.silo.images.ImageException;
import dev.silo.images.ImageReference;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.jspecify.annotations.Nullable;

/**
 * Writes images as {@code docker save} (moby 25+) does: one tar that is both a docker-archive
 * ({@code manifest.json}, {@code repositories}) and an OCI image layout ({@code oci-layout}, {@code
 * index.json}, {@code blobs/sha256/…}), with uncompressed layers so {@code docker load} of any
 * version reads it.
 */
public final class ArchiveSaver {
  private static final Instant EPOCH = Instant.EPOCH;

  private final ImageStore store;
  private final Set<String> written = new HashSet<>();

  public ArchiveSaver(ImageStore store) {
    this.store = store;
  }

  /** One image to save and the tags to name it by. */
  public record Entry(StoredImage image, List<ImageReference> tags) {}

  public void save(List<Entry> entries, OutputStream out) throws ImageException, IOException {
    TarArchiveOutputStream tar = new TarArchiveOutputStream(out);
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    dir(tar, "blobs/");
    dir(tar, "blobs/sha256/");
    ArrayNode manifestJson = ImageStore.JSON.createArrayNode();
    ArrayNode indexManifests = ImageStore.JSON.createArrayNode();
    Map<String, Map<String, String>> repositories = new LinkedHashMap<>();
    for (Entry e : entries) {
      StoredImage img = e.image();
      ArrayNode layerNames = ImageStore.JSON.createArrayNode();
      ArrayNode layerDescs = ImageStore.JSON.createArrayNode();
      for (int i = 0; i < img.layers().size(); i++) {
        long size =
            writeLayer(
                tar, img.layers().get(i).digest(), img.diffIds().get(i), img.chainIds().get(i));
        layerNames.add("blobs/sha256/" + Digests.hex(img.diffIds().get(i)));
        layerDescs
            .addObject()
            .put("mediaType", Manifests.OCI_LAYER)
            .put("digest", img.diffIds().get(i))
            .put("size", size);
      }
      byte[] config = store.readBlob(img.id());
      blob(tar, img.id(), config);
      ObjectNode m = ImageStore.JSON.createObjectNode();
      m.put("schemaVersion", 2);
      m.put("mediaType", Manifests.OCI_MANIFEST);
      m.putObject("config")
          .put("mediaType", Manifests.OCI_CONFIG)
          .put("digest", img.id())
          .put("size", config.length);
      m.set("layers", layerDescs);
      byte[] manifest = ImageStore.JSON.writeValueAsBytes(m);
      String manifestDigest = Digests.of(manifest);
      blob(tar, manifestDigest, manifest);

      ObjectNode entry = manifestJson.addObject();
      entry.put("Config", "blobs/sha256/" + Digests.hex(img.id()));
      ArrayNode repoTags = entry.putArray("RepoTags");
      entry.set("Layers", layerNames);
      if (e.tags().isEmpty()) {
        indexDescriptor(indexManifests, manifestDigest, manifest.length, null);
      }
      for (ImageReference t : e.tags()) {
        repoTags.add(t.familiar());
        indexDescriptor(indexManifests, manifestDigest, manifest.length, t);
        if (!img.diffIds().isEmpty() && t.tag() != null) {
          repositories
              .computeIfAbsent(t.familiarName(), k -> new LinkedHashMap<>())
              .put(t.tag(), Digests.hex(img.diffIds().getLast()));
        }
      }
    }
    ObjectNode index = ImageStore.JSON.createObjectNode();
    index.put("schemaVersion", 2);
    index.put("mediaType", Manifests.OCI_INDEX);
    index.set("manifests", indexManifests);
    file(tar, "index.json", ImageStore.JSON.writeValueAsBytes(index));
    file(tar, "manifest.json", ImageStore.JSON.writeValueAsBytes(manifestJson));
    file(tar, "oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8));
    if (!repositories.isEmpty()) {
      file(tar, "repositories", ImageStore.JSON.writeValueAsBytes(repositories));
    }
    tar.finish();
    tar.flush();
  }

  private static void indexDescriptor(
      ArrayNode manifests, String digest, long size, @Nullable ImageReference tag) {
    ObjectNode d =
        manifests
            .addObject()
            .put("mediaType", Manifests.OCI_MANIFEST)
            .put("digest", digest)
            .put("size", size);
    if (tag != null) {
      ObjectNode a = d.putObject("annotations");
      a.put("io.containerd.image.name", tag.toString());
      if (tag.tag() != null) {
        a.put("org.opencontainers.image.ref.name", tag.tag());
      }
    }
  }

  /** Writes a layer uncompressed under its diff id; answers its size. */
  private long writeLayer(
      TarArchiveOutputStream tar, String blobDigest, String diffId, String chainId)
      throws IOException, ImageException {
    long size = blobDigest.equals(diffId) ? store.blobSize(blobDigest) : store.layerSize(chainId);
    String name = "blobs/sha256/" + Digests.hex(diffId);
    if (!written.add(name)) {
      return size;
    }
    TarArchiveEntry e = entry(name, size);
    tar.putArchiveEntry(e);
    try (InputStream raw = store.openBlob(blobDigest);
        InputStream plain = LayerUnpacker.decompress(raw, "layer " + blobDigest)) {
      long copied = plain.transferTo(tar);
      if (copied != size) {
        throw new ImageException(
            ImageException.Kind.IO,
            "layer "
                + blobDigest
                + " unpacked to "
                + copied
                + " bytes, the store recorded "
                + size);
      }
    }
    tar.closeArchiveEntry();
    return size;
  }

  private void blob(TarArchiveOutputStream tar, String digest, byte[] data) throws IOException {
    String name = "blobs/sha256/" + Digests.hex(digest);
    if (written.add(name)) {
      file(tar, name, data);
    }
  }

  private static void file(TarArchiveOutputStream tar, String name, byte[] data)
      throws IOException {
    tar.putArchiveEntry(entry(name, data.length));
    tar.write(data);
    tar.closeArchiveEntry();
  }

  private static void dir(TarArchiveOutputStream tar, String name) throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name);
    e.setMode(040755);
    e.setModTime(EPOCH.toEpochMilli());
    tar.putArchiveEntry(e);
    tar.closeArchiveEntry();
  }

  private static TarArchiveEntry entry(String name, long size) {
    TarArchiveEntry e = new TarArchiveEntry(name);
    e.setSize(size);
    e.setMode(0100644);
    e.setModTime(EPOCH.toEpochMilli());
    return e;
  }
}
