package dev.silo.daemon.docker;

import dev.silo.daemon.http.ApiException;
import dev.silo.linux.fs.FileTrees;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * The container records under {@code DATAROOT/containers/<id>/}: {@code config.v2.json} (written to
 * a temporary file and renamed, so a crash leaves the old or the new record) and the {@code
 * scratch} folder that holds the container's writable layer.
 */
public final class ContainerStore {
  private static final String RECORD = "config.v2.json";

  private final Path dir;
  private final Map<String, ContainerRecord> records = new LinkedHashMap<>();

  private ContainerStore(Path dir) {
    this.dir = dir;
  }

  /** Loads every record; a directory without a record is a crashed create: removed. */
  public static ContainerStore open(Path dir, java.util.function.Consumer<String> warn)
      throws IOException {
    Files.createDirectories(dir);
    ContainerStore s = new ContainerStore(dir);
    try (Stream<Path> ls = Files.list(dir)) {
      for (Path d : ls.sorted().toList()) {
        Path f = d.resolve(RECORD);
        try {
          ContainerRecord r = ContainerRecord.read(Json.MAPPER.readTree(Files.readAllBytes(f)));
          s.records.put(r.id(), r);
        } catch (java.nio.file.NoSuchFileException e) {
          // records are written to a temporary file and renamed: no record is a crashed create
          warn.accept("dropping container directory " + d + " (no record): " + e.getMessage());
          FileTrees.deleteTree(d);
        } catch (IOException e) {
          // an unreadable record keeps its directory (the container's writable layer)
          warn.accept("skipping container directory " + d + ": " + e.getMessage());
        }
      }
    }
    return s;
  }

  public Path dir(String id) {
    return dir.resolve(id);
  }

  public Path scratch(String id) {
    return dir(id).resolve("scratch");
  }

  /** Writes (or replaces) a record. */
  public synchronized void put(ContainerRecord r) throws ApiException {
    try {
      Files.createDirectories(scratch(r.id()));
      Path tmp = dir(r.id()).resolve(RECORD + ".tmp");
      Files.write(tmp, Json.MAPPER.writeValueAsBytes(r));
      try {
        Files.move(
            tmp,
            dir(r.id()).resolve(RECORD),
            StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, dir(r.id()).resolve(RECORD), StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw ApiException.internal("cannot record container " + r.id() + ": " + e.getMessage(), e);
    }
    records.put(r.id(), r);
  }

  /**
   * Replaces the record of {@code id} by {@code change} of its current version, atomically against
   * every other write; a record removed meanwhile stays removed (null is returned). Writers that
   * read a record earlier use this, so that one writer's change (a connect, a rename) is not undone
   * by another's older copy (an exit).
   */
  public synchronized @Nullable ContainerRecord update(
      String id, java.util.function.UnaryOperator<ContainerRecord> change) throws ApiException {
    ContainerRecord now = records.get(id);
    if (now == null) {
      return null;
    }
    ContainerRecord next = change.apply(now);
    put(next);
    return next;
  }

  /** Removes a record and its directory (the scratch folder with it). */
  public synchronized void remove(String id) throws IOException {
    records.remove(id);
    FileTrees.deleteTree(dir(id));
  }

  public synchronized List<ContainerRecord> list() {
    return new ArrayList<>(records.values());
  }

  public synchronized @Nullable ContainerRecord get(String id) {
    return records.get(id);
  }

  /** The record with this name ("/x" or "x"), or null. */
  public synchronized @Nullable ContainerRecord byName(String name) {
    String n = name.startsWith("/") ? name : "/" + name;
    return records.values().stream().filter(r -> r.name().equals(n)).findFirst().orElse(null);
  }

  /** Finds by full id, name or unique id prefix, as dockerd's GetContainer. */
  public synchronized ContainerRecord find(String term) throws ApiException {
    ContainerRecord r = records.get(term);
    if (r != null) {
      return r;
    }
    r = byName(term);
    if (r != null) {
      return r;
    }
    List<ContainerRecord> hits =
        term.isEmpty()
            ? List.of()
            : records.values().stream().filter(x -> x.id().startsWith(term)).toList();
    if (hits.size() > 1) {
      throw ApiException.badParameter("Multiple IDs found with provided prefix: " + term);
    }
    if (hits.isEmpty()) {
      throw ApiException.notFound("No such container: " + term);
    }
    return hits.get(0);
  }
}
