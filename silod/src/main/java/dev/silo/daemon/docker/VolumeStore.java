package dev.silo.daemon.docker;

import dev.silo.daemon.http.ApiException;
import dev.silo.linux.fs.FileTrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * The {@code local} volume driver: a volume is {@code ROOT/<name>/_data} with its metadata in
 * {@code ROOT/<name>/opts.json}. A create builds both under a hidden temporary name and renames it
 * into place, so a failed create leaves nothing and a listed volume is always complete.
 */
public final class VolumeStore {
  /** The label dockerd puts on volumes it names itself. */
  public static final String ANONYMOUS = "com.docker.volume.anonymous";

  private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]+");

  private final Path root;
  private final Predicate<String> inUse;

  /**
   * @param root the volumes directory
   * @param inUse whether a container uses the volume (none can yet)
   */
  public VolumeStore(Path root, Predicate<String> inUse) throws IOException {
    this.root = Files.createDirectories(root);
    this.inUse = inUse;
    try (Stream<Path> s = Files.list(root)) {
      for (Path p : s.filter(p -> p.getFileName().toString().startsWith(".")).toList()) {
        FileTrees.deleteTree(p); // a create that died half-way
      }
    }
  }

  /** Where a volume's data lives. */
  public Path mountpoint(String name) {
    return root.resolve(name).resolve("_data");
  }

  /** Creates a volume, or returns the existing one of that name (dockerd is idempotent here). */
  public synchronized Created create(
      String name, Map<String, String> labels, Map<String, String> options) throws ApiException {
    if (name.length() == 1) {
      throw ApiException.badParameter(
          "create "
              + name
              + ": volume name is too short, names should be at least two alphanumeric characters");
    }
    if (!NAME.matcher(name).matches()) {
      throw ApiException.badParameter(
          "create "
              + name
              + ": \""
              + name
              + "\" includes invalid characters for a local volume name, only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed. If you intended to pass a host directory, use absolute path");
    }
    for (String key : options.keySet()) {
      if (!Set.of("type", "device", "o", "size").contains(key)) {
        throw ApiException.badParameter("create " + name + ": invalid option key: \"" + key + "\"");
      }
      throw ApiException.badParameter(
          "create "
              + name
              + ": option \""
              + key
              + "\" needs a mount, which Silo's local driver does not do yet");
    }
    VolumeRecord have = get(name);
    if (have != null) {
      return new Created(have, false);
    }
    VolumeRecord rec =
        new VolumeRecord(
            name,
            java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString(),
            labels,
            options);
    Path tmp = root.resolve(".create-" + name);
    try {
      FileTrees.deleteTree(tmp);
      Files.createDirectories(tmp.resolve("_data"));
      Json.MAPPER.writeValue(tmp.resolve("opts.json").toFile(), rec);
      Files.move(tmp, root.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      try {
        FileTrees.deleteTree(tmp);
      } catch (IOException undo) {
        e.addSuppressed(undo);
      }
      throw ApiException.internal("create " + name + ": " + e.getMessage(), e);
    }
    return new Created(rec, true);
  }

  /** A create's result: the volume and whether it is new. */
  public record Created(VolumeRecord volume, boolean isNew) {}

  /** The volume, or null. */
  public synchronized @Nullable VolumeRecord get(String name) {
    if (!NAME.matcher(name).matches()) {
      return null;
    }
    Path opts = root.resolve(name).resolve("opts.json");
    if (!Files.isRegularFile(opts)) {
      return null;
    }
    try {
      return Json.MAPPER.readValue(opts.toFile(), VolumeRecord.class);
    } catch (IOException e) {
      return null;
    }
  }

  /** The volume or dockerd's 404. */
  public VolumeRecord find(String name) throws ApiException {
    VolumeRecord v = get(name);
    if (v == null) {
      throw ApiException.notFound("get " + name + ": no such volume");
    }
    return v;
  }

  public synchronized List<VolumeRecord> list() throws ApiException {
    List<VolumeRecord> out = new ArrayList<>();
    try (Stream<Path> s = Files.list(root)) {
      for (Path p : s.sorted().toList()) {
        VolumeRecord v = get(p.getFileName().toString());
        if (v != null) {
          out.add(v);
        }
      }
    } catch (IOException e) {
      throw ApiException.internal("cannot list volumes: " + e.getMessage(), e);
    }
    return out;
  }

  /** Removes a volume and its data; a volume in use is a 409. Returns the bytes freed. */
  public synchronized long remove(String name) throws ApiException {
    find(name);
    if (inUse.test(name)) {
      throw ApiException.conflict("remove " + name + ": volume is in use");
    }
    Path dir = root.resolve(name);
    Path gone = root.resolve(".remove-" + name);
    try {
      long size = size(dir.resolve("_data"));
      Files.move(dir, gone, StandardCopyOption.ATOMIC_MOVE);
      FileTrees.deleteTree(gone);
      return size;
    } catch (IOException e) {
      throw ApiException.internal("remove " + name + ": " + e.getMessage(), e);
    }
  }

  public boolean isInUse(String name) {
    return inUse.test(name);
  }

  private static long size(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }
}
