package dev.silo.images.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.silo.images.ImageException;
import dev.silo.images.ImageReference;
import dev.silo.images.Platform;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Reads a {@code docker save} archive (its {@code manifest.json}) or an OCI image-layout archive
 * ({@code index.json}) into {@code tmp/} and verifies every config, manifest and layer digest
 * before anything enters the store.
 */
public final class ArchiveLoader {
  private final Path stage;
  private final Platform platform;

  /** {@code stage} is an empty temp dir the caller deletes. */
  public ArchiveLoader(Path stage, Platform platform) {
    this.stage = stage;
    this.platform = platform;
  }

  /** Unpacks the archive (plain or gzip) into the stage and reads the images it holds. */
  public List<StagedImage> load(InputStream archive) throws ImageException, IOException {
    extract(archive);
    if (Files.isRegularFile(stage.resolve("manifest.json"))) {
      return dockerArchive();
    }
    if (Files.isRegularFile(stage.resolve("index.json"))) {
      return ociArchive();
    }
    throw bad("the archive has neither manifest.json (docker-archive) nor index.json (OCI layout)");
  }

  private void extract(InputStream archive) throws ImageException, IOException {
    InputStream in = LayerUnpacker.decompress(new BufferedInputStream(archive, 65536), "archive");
    TarArchiveInputStream tar = new TarArchiveInputStream(in);
    int entries = 0;
    while (true) {
      TarArchiveEntry e;
      try {
        e = tar.getNextEntry();
      } catch (IOException | IllegalArgumentException ex) {
        throw bad("not a valid tar: " + ex.getMessage());
      }
      if (e == null) {
        break;
      }
      entries++;
      String rel = LayerUnpacker.normalise(e.getName(), "archive");
      if (rel.isEmpty()) {
        continue;
      }
      Path p = stage.resolve(rel);
      if (e.isDirectory()) {
        Files.createDirectories(p);
      } else if (e.isFile()) {
        Files.createDirectories(p.getParent());
        try {
          Files.copy(tar, p, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException ex) {
          throw bad("entry \"" + rel + "\" is cut short: " + ex.getMessage());
        }
      } else if (e.isSymbolicLink()) {
        // old docker save links duplicate layers: "<id>/layer.tar -> ../<other>/layer.tar"
        Files.createDirectories(p.getParent());
        Files.deleteIfExists(p);
        Files.createSymbolicLink(p, Path.of(e.getLinkName()));
      }
    }
    if (entries == 0) {
      throw bad("the archive is empty or not a tar");
    }
  }

  /** A stage path named by the archive, which must stay inside the stage. */
  private Path file(String name, String what) throws ImageException, IOException {
    Path p = stage.resolve(LayerUnpacker.normalise(name, "archive"));
    if (!Files.isRegularFile(p)) {
      throw bad(what + " \"" + name + "\" is missing from the archive");
    }
    if (!p.toRealPath().startsWith(stage.toRealPath())) {
      throw bad(what + " \"" + name + "\" points outside the archive");
    }
    return p.toRealPath();
  }

  private List<StagedImage> dockerArchive() throws ImageException, IOException {
    JsonNode manifest = json(stage.resolve("manifest.json"), "manifest.json");
    if (!manifest.isArray() || manifest.isEmpty()) {
      throw bad("manifest.json is not a list of images");
    }
    List<StagedImage> out = new ArrayList<>();
    for (JsonNode entry : manifest) {
      String configName = entry.path("Config").asText("");
      byte[] config = Files.readAllBytes(file(configName, "config"));
      String id = Digests.of(config);
      expectNamedDigest(configName, id, "config");
      List<ImageReference> tags = new ArrayList<>();
      for (JsonNode t : entry.path("RepoTags")) {
        tags.add(ImageReference.parse(t.asText("")));
      }
      String what = tags.isEmpty() ? "image " + id : "image " + tags.getFirst().familiar();
      JsonNode cfg = parseJson(config, "config of " + what);
      JsonNode layerNames = entry.path("Layers");
      List<String> diffIds = Manifests.diffIds(cfg, layerNames.size(), what);
      List<StagedImage.Layer> layers = new ArrayList<>();
      for (int i = 0; i < layerNames.size(); i++) {
        String name = layerNames.get(i).asText("");
        StagedImage.Layer l = verifyLayer(file(name, "layer"), what, name);
        expectNamedDigest(name, l.blobDigest(), "layer");
        if (!l.diffId().equals(diffIds.get(i))) {
          throw bad(
              what
                  + ": layer \""
                  + name
                  + "\" has diff id "
                  + l.diffId()
                  + " but the config says "
                  + diffIds.get(i));
        }
        layers.add(l);
      }
      out.add(
          new StagedImage(
              id,
              config,
              ociManifest(id, config.length, layers),
              Manifests.OCI_MANIFEST,
              layers,
              tags));
    }
    return out;
  }

  private List<StagedImage> ociArchive() throws ImageException, IOException {
    JsonNode index = json(stage.resolve("index.json"), "index.json");
    List<StagedImage> out = new ArrayList<>();
    for (JsonNode d : index.path("manifests")) {
      Manifests.Descriptor desc = Manifests.descriptor(d, "index.json");
      String name = d.path("annotations").path("io.containerd.image.name").asText("");
      if (name.isEmpty()) {
        String refName = d.path("annotations").path("org.opencontainers.image.ref.name").asText("");
        name = refName.contains("/") || refName.contains(":") ? refName : "";
      }
      List<ImageReference> tags = new ArrayList<>();
      if (!name.isEmpty()) {
        tags.add(ImageReference.parse(name));
      }
      String what = name.isEmpty() ? "manifest " + desc.digest() : "image " + name;
      byte[] body = blob(desc.digest(), what);
      JsonNode doc = parseJson(body, what);
      String mt = Manifests.mediaType(doc, desc.mediaType());
      if (Manifests.isIndex(mt)) {
        desc = Manifests.pick(doc, platform, what);
        body = blob(desc.digest(), what);
        doc = parseJson(body, what);
        mt = Manifests.mediaType(doc, desc.mediaType());
      }
      Manifests.Descriptor cfgD = Manifests.config(doc, what);
      byte[] config = blob(cfgD.digest(), what);
      JsonNode cfg = parseJson(config, "config of " + what);
      List<Manifests.Descriptor> layerDs = Manifests.layers(doc, what);
      List<String> diffIds = Manifests.diffIds(cfg, layerDs.size(), what);
      List<StagedImage.Layer> layers = new ArrayList<>();
      for (int i = 0; i < layerDs.size(); i++) {
        Manifests.Descriptor ld = layerDs.get(i);
        String path = "blobs/sha256/" + Digests.hex(ld.digest());
        StagedImage.Layer l = verifyLayer(file(path, "layer"), what, path);
        if (!l.blobDigest().equals(ld.digest())) {
          throw bad(what + ": layer blob " + path + " has digest " + l.blobDigest());
        }
        if (!l.diffId().equals(diffIds.get(i))) {
          throw bad(
              what
                  + ": layer "
                  + ld.digest()
                  + " has diff id "
                  + l.diffId()
                  + " but the config says "
                  + diffIds.get(i));
        }
        layers.add(
            new StagedImage.Layer(l.file(), l.blobDigest(), l.diffId(), ld.mediaType(), l.size()));
      }
      out.add(new StagedImage(cfgD.digest(), config, body, mt, layers, tags));
    }
    if (out.isEmpty()) {
      throw bad("index.json lists no manifests");
    }
    return out;
  }

  /** A blob of the OCI layout, read whole and checked against its digest. */
  private byte[] blob(String digest, String what) throws ImageException, IOException {
    byte[] b = Files.readAllBytes(file("blobs/sha256/" + Digests.hex(digest), "blob"));
    String actual = Digests.of(b);
    if (!actual.equals(digest)) {
      throw bad(what + ": blob " + digest + " has digest " + actual);
    }
    return b;
  }

  /** Digests a layer file twice over in one pass: as stored, and uncompressed (its diff id). */
  private static StagedImage.Layer verifyLayer(Path file, String what, String name)
      throws ImageException, IOException {
    Digests.Counting raw = new Digests.Counting(Files.newInputStream(file));
    try (raw) {
      Digests.Counting plain =
          new Digests.Counting(LayerUnpacker.decompress(new BufferedInputStream(raw), what));
      try {
        plain.drain();
      } catch (IOException e) {
        throw bad(what + ": layer \"" + name + "\" is corrupt: " + e.getMessage());
      }
      raw.drain();
      boolean compressed = !raw.digest().equals(plain.digest());
      return new StagedImage.Layer(
          file,
          raw.digest(),
          plain.digest(),
          compressed ? Manifests.OCI_LAYER_GZIP : Manifests.OCI_LAYER,
          raw.count());
    }
  }

  /** An OCI manifest for a docker-archive image (which carries none). */
  static byte[] ociManifest(String configDigest, long configSize, List<StagedImage.Layer> layers)
      throws IOException {
    ObjectNode m = ImageStore.JSON.createObjectNode();
    m.put("schemaVersion", 2);
    m.put("mediaType", Manifests.OCI_MANIFEST);
    m.putObject("config")
        .put("mediaType", Manifests.OCI_CONFIG)
        .put("digest", configDigest)
        .put("size", configSize);
    ArrayNode ls = m.putArray("layers");
    for (StagedImage.Layer l : layers) {
      ls.addObject()
          .put("mediaType", l.mediaType())
          .put("digest", l.blobDigest())
          .put("size", l.size());
    }
    return ImageStore.JSON.writeValueAsBytes(m);
  }

  /** {@code blobs/sha256/<hex>} and {@code <hex>.json} names promise a digest: hold them to it. */
  private static void expectNamedDigest(String name, String actual, String what)
      throws ImageException {
    String base = name.substring(name.lastIndexOf('/') + 1).replaceFirst("\\.json$", "");
    boolean named = base.matches("[a-f0-9]{64}") && !name.endsWith("/layer.tar");
    if (named && !Digests.hex(actual).equals(base)) {
      throw bad(what + " \"" + name + "\" has digest " + actual + " (digest mismatch)");
    }
  }

  private static JsonNode json(Path p, String what) throws ImageException {
    try {
      return ImageStore.JSON.readTree(p.toFile());
    } catch (IOException e) {
      throw bad(what + " is not valid JSON: " + e.getMessage());
    }
  }

  private static JsonNode parseJson(byte[] b, String what) throws ImageException {
    try {
      return ImageStore.JSON.readTree(b);
    } catch (IOException e) {
      throw bad(what + " is not valid JSON: " + e.getMessage());
    }
  }

  private static ImageException bad(String why) {
    return new ImageException(ImageException.Kind.BAD_ARCHIVE, "invalid archive: " + why);
  }
}
