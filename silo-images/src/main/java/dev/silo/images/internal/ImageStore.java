package dev.silo.images.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.silo.linux.fs.FileTrees;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * The on-disk store under {@code DATAROOT/images}: content-addressed blobs ({@code
 * blobs/sha256/<hex>}), unpacked layers ({@code layers/<chainid hex>/} with a {@code <hex>.json}
 * sidecar), the reference index {@code refs.json}, and {@code tmp/} where everything is written
 * before a rename makes it visible. A process killed at any point leaves only whole blobs, whole
 * layers and the previous index; {@link #open} clears {@code tmp/}.
 */
public final class ImageStore {
  static final ObjectMapper JSON = new ObjectMapper();

  private final Path root;
  private final Path blobs;
  private final Path layers;
  private final Path tmp;
  private static final ConcurrentHashMap<Path, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();

  private final Path refsFile;
  private final Path lockFile;
  private final ReentrantLock jvmLock;
  private volatile Refs refs = new Refs();
  private volatile @Nullable Object refsKey;

  private ImageStore(Path root) throws IOException {
    this.root = root;
    this.blobs = root.resolve("blobs").resolve("sha256");
    this.layers = root.resolve("layers");
    this.tmp = root.resolve("tmp");
    this.refsFile = root.resolve("refs.json");
    this.lockFile = root.resolve("lock");
    Files.createDirectories(blobs);
    Files.createDirectories(layers);
    Files.createDirectories(tmp);
    this.jvmLock = JVM_LOCKS.computeIfAbsent(root.toRealPath(), k -> new ReentrantLock());
    // under the lock: a live process's tmp/ files belong to a mutation that holds it
    try (Lease lease = lock()) {
      try (Stream<Path> leftovers = Files.list(tmp)) {
        for (Path p : (Iterable<Path>) leftovers::iterator) {
          FileTrees.deleteTree(p);
        }
      }
    }
  }

  /**
   * Holds the store for one mutation: other threads of this JVM and other processes (an exclusive
   * {@code flock} on {@code lock}, which the kernel drops with a killed holder) wait; the index is
   * re-read, as another process may have changed it.
   */
  public Lease lock() throws IOException {
    jvmLock.lock();
    FileChannel ch = null;
    try {
      ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      ch.lock();
      reloadRefs();
      return new Lease(ch);
    } catch (IOException | RuntimeException e) {
      if (ch != null) {
        ch.close();
      }
      jvmLock.unlock();
      throw e;
    }
  }

  /** A held store lock; closing it lets the next mutation in. */
  public final class Lease implements AutoCloseable {
    private final FileChannel channel;

    private Lease(FileChannel channel) {
      this.channel = channel;
    }

    @Override
    public void close() {
      try {
        channel.close(); // releases the flock
      } catch (IOException e) {
        // the descriptor is gone either way, and with it the lock
      } finally {
        jvmLock.unlock();
      }
    }
  }

  /** Re-reads {@code refs.json} when it was replaced (every save renames a new inode in). */
  private void reloadRefs() throws IOException {
    Object key =
        Files.exists(refsFile)
            ? Files.readAttributes(refsFile, BasicFileAttributes.class).fileKey()
            : null;
    if (key == null) {
      refs = new Refs();
    } else if (!key.equals(refsKey)) {
      refs = Refs.fromJson(JSON.readTree(refsFile.toFile()));
    }
    refsKey = key;
  }

  /** Opens (creating) the store at {@code dataRoot/images} and removes leftovers of a crash. */
  public static ImageStore open(Path dataRoot) throws IOException {
    return new ImageStore(dataRoot.resolve("images"));
  }

  public Path root() {
    return root;
  }

  /** The index as last committed by any process (re-read when another one replaced it). */
  public Refs refs() {
    try {
      reloadRefs();
    } catch (IOException e) {
      // keep the last good snapshot; the next mutation re-reads under the lock
    }
    return refs;
  }

  // ---- blobs

  public Path blobPath(String digest) {
    return blobs.resolve(Digests.hex(digest));
  }

  public boolean hasBlob(String digest) {
    return Files.isRegularFile(blobPath(digest));
  }

  public byte[] readBlob(String digest) throws IOException {
    return Files.readAllBytes(blobPath(digest));
  }

  public InputStream openBlob(String digest) throws IOException {
    return Files.newInputStream(blobPath(digest));
  }

  public long blobSize(String digest) throws IOException {
    return Files.size(blobPath(digest));
  }

  /** Stores {@code data} under its digest (temp + fsync + rename) and answers the digest. */
  public String putBlob(byte[] data) throws IOException {
    String digest = Digests.of(data);
    if (!hasBlob(digest)) {
      Path t = newTempFile("blob");
      Files.write(t, data);
      commitBlob(t, digest);
    }
    return digest;
  }

  /** Makes a fully written and verified temp file the blob {@code digest}. */
  public void commitBlob(Path tempFile, String digest) throws IOException {
    fsync(tempFile);
    if (hasBlob(digest)) {
      Files.delete(tempFile);
      return;
    }
    atomicMove(tempFile, blobPath(digest));
    fsyncDir(blobs);
  }

  // ---- layers

  public Path layerDir(String chainId) {
    return layers.resolve(Digests.hex(chainId));
  }

  public boolean hasLayer(String chainId) {
    return Files.isDirectory(layerDir(chainId))
        && Files.isRegularFile(layers.resolve(Digests.hex(chainId) + ".json"));
  }

  /** The uncompressed tar size recorded when the layer was unpacked. */
  public long layerSize(String chainId) throws IOException {
    return JSON.readTree(layers.resolve(Digests.hex(chainId) + ".json").toFile())
        .path("size")
        .asLong();
  }

  /**
   * Makes an unpacked temp dir the layer {@code chainId}: the sidecar first, then the dir's rename
   * is the commit point (a sidecar without its dir is ignored).
   */
  public void commitLayer(Path tempDir, String chainId, String diffId, long size)
      throws IOException {
    String hex = Digests.hex(chainId);
    ObjectNode meta = JSON.createObjectNode().put("diffId", diffId).put("size", size);
    Path sideTemp = newTempFile("layer-meta");
    Files.write(sideTemp, JSON.writeValueAsBytes(meta));
    fsync(sideTemp);
    atomicMove(sideTemp, layers.resolve(hex + ".json"));
    if (Files.isDirectory(layerDir(chainId))) {
      FileTrees.deleteTree(tempDir);
    } else {
      atomicMove(tempDir, layerDir(chainId));
    }
    fsyncDir(layers);
  }

  // ---- temp

  public Path newTempFile(String prefix) throws IOException {
    return Files.createFile(tmp.resolve(prefix + "-" + UUID.randomUUID()));
  }

  public Path newTempDir(String prefix) throws IOException {
    return Files.createDirectory(tmp.resolve(prefix + "-" + UUID.randomUUID()));
  }

  // ---- refs

  /** Writes {@code next} atomically (temp + fsync + rename) and makes it current. */
  public void saveRefs(Refs next) throws IOException {
    Path t = newTempFile("refs");
    Files.write(t, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(next.toJson()));
    fsync(t);
    atomicMove(t, refsFile);
    fsyncDir(root);
    refs = next;
    refsKey = Files.readAttributes(refsFile, BasicFileAttributes.class).fileKey();
  }

  /**
   * Deletes blobs and layers that no image in the index uses. {@code keepBlobs}/{@code keepLayers}
   * name what the images use (their manifests, configs and layer blobs; their chain ids).
   */
  public void collect(Set<String> keepBlobs, Set<String> keepLayers) throws IOException {
    Set<String> blobHex = new HashSet<>();
    keepBlobs.forEach(d -> blobHex.add(Digests.hex(d)));
    Set<String> layerHex = new HashSet<>();
    keepLayers.forEach(d -> layerHex.add(Digests.hex(d)));
    try (Stream<Path> s = Files.list(blobs)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        if (!blobHex.contains(p.getFileName().toString())) {
          Files.deleteIfExists(p);
        }
      }
    }
    try (Stream<Path> s = Files.list(layers)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        String name = p.getFileName().toString();
        String hex = name.endsWith(".json") ? name.substring(0, name.length() - 5) : name;
        if (!layerHex.contains(hex)) {
          // out of layers/ first, so a crash mid-delete leaves no half layer behind
          Path doomed = tmp.resolve("gc-" + UUID.randomUUID());
          atomicMove(p, doomed);
          FileTrees.deleteTree(doomed);
        }
      }
    }
  }

  // ---- file helpers

  static void atomicMove(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException | FileAlreadyExistsException e) {
      throw new IOException("cannot rename " + from + " to " + to + ": " + e.getMessage(), e);
    }
  }

  static void fsync(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.force(true);
    }
  }

  static void fsyncDir(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }

  /**
   * The reference index: images by id (config digest) with their manifest, tags ({@code
   * domain/path:tag} → id) and repo digests ({@code domain/path@sha256:…} → id). Immutable
   * snapshots are swapped on save.
   */
  public static final class Refs {
    /** id → {manifest digest, manifest media type}. */
    public final Map<String, ImageEntry> images;

    public final Map<String, String> tags;
    public final Map<String, String> digests;

    public Refs() {
      this(new TreeMap<>(), new TreeMap<>(), new TreeMap<>());
    }

    private Refs(
        Map<String, ImageEntry> images, Map<String, String> tags, Map<String, String> digests) {
      this.images = images;
      this.tags = tags;
      this.digests = digests;
    }

    /** A mutable copy to change and then save. */
    public Refs copy() {
      return new Refs(new TreeMap<>(images), new TreeMap<>(tags), new TreeMap<>(digests));
    }

    /** Drops the image {@code id} and every reference to it. */
    public void removeImage(String id) {
      images.remove(id);
      tags.values().removeIf(id::equals);
      digests.values().removeIf(id::equals);
    }

    JsonNode toJson() {
      ObjectNode root = JSON.createObjectNode();
      ObjectNode imgs = root.putObject("images");
      images.forEach(
          (id, e) ->
              imgs.putObject(id)
                  .put("manifest", e.manifest())
                  .put("mediaType", e.mediaType())
                  .put("added", e.added()));
      ObjectNode t = root.putObject("tags");
      tags.forEach(t::put);
      ObjectNode d = root.putObject("digests");
      digests.forEach(d::put);
      return root;
    }

    static Refs fromJson(JsonNode node) {
      Refs r = new Refs();
      for (Iterator<Map.Entry<String, JsonNode>> it = node.path("images").fields();
          it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        r.images.put(
            e.getKey(),
            new ImageEntry(
                e.getValue().path("manifest").asText(),
                e.getValue().path("mediaType").asText(),
                e.getValue().path("added").asLong()));
      }
      node.path("tags")
          .fields()
          .forEachRemaining(e -> r.tags.put(e.getKey(), e.getValue().asText()));
      node.path("digests")
          .fields()
          .forEachRemaining(e -> r.digests.put(e.getKey(), e.getValue().asText()));
      return r;
    }
  }

  /** An image's manifest blob, its media type, and when it entered the store (epoch seconds). */
  public record ImageEntry(String manifest, String mediaType, long added) {}
}
