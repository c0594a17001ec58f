package dev.silo.bench.jmh;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Clean-up helpers of the in-process benchmark: its scratch tree and the check for leftover
 * cgroups.
 */
final class Scratch {

  private static final Path CGROUP_ROOT = Path.of("/sys/fs/cgroup");

  private Scratch() {}

  /** Removes a directory tree; a missing one is fine. */
  static void remove(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  /**
   * The cgroup directories {@code /sys/fs/cgroup/<hierarchy>/<name>} whose name starts with {@code
   * prefix} (where runc's default spec, without cgroupsPath, puts a container's cgroup).
   */
  static List<Path> cgroupsNamed(String prefix) throws IOException {
    List<Path> found = new ArrayList<>();
    try (Stream<Path> hierarchies = Files.list(CGROUP_ROOT)) {
      for (Path h : hierarchies.filter(Files::isDirectory).toList()) {
        try (Stream<Path> groups = Files.list(h)) {
          groups.filter(g -> g.getFileName().toString().startsWith(prefix)).forEach(found::add);
        }
      }
    }
    return found;
  }
}
