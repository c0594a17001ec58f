package dev.silo.tck;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * What a runhcs call can leave behind in the kernel, for comparing before and after a failing call:
 * state-root entries, cgroup directories named like the test's ids, mounts naming the temp dir and
 * processes rooted in or naming the temp dir.
 *
 * <p>A process is "rooted in" a rootfs when {@code /proc/PID/root} is that directory (same device
 * and inode): after pivot_root in its own mount namespace the link text reads just "/".
 */
record KernelSnapshot(
    List<String> stateEntries, List<String> cgroups, List<String> mounts, List<String> processes) {
  private static final Path CGROUP = Path.of("/sys/fs/cgroup");

  /**
   * Takes a snapshot: {@code idPrefix} selects the cgroups, {@code tempDir} the mounts and
   * processes, {@code rootfs} the processes whose root it is.
   */
  static KernelSnapshot take(Path stateRoot, String idPrefix, Path tempDir, Path rootfs) {
    String temp = tempDir.toAbsolutePath().toString();
    return new KernelSnapshot(
        stateEntries(stateRoot), cgroups(idPrefix), mounts(temp), processes(temp, fileKey(rootfs)));
  }

  private static List<String> stateEntries(Path root) {
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(root)) {
      // The root itself is left out: like runc, runhcs may create an empty root on any call.
      return s.filter(p -> !p.equals(root))
          .map(p -> root.relativize(p).toString())
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Every {@code /sys/fs/cgroup/<hierarchy>/<name>} whose name starts with the prefix (any depth 1
   * or 2). Other jobs create and remove cgroups meanwhile, so a directory that vanishes while it is
   * listed is simply not there.
   */
  private static List<String> cgroups(String idPrefix) {
    List<String> found = new ArrayList<>();
    for (Path h : subdirectories(CGROUP)) {
      if (Files.isSymbolicLink(h)) {
        continue;
      }
      for (Path level1 : subdirectories(h)) {
        if (level1.getFileName().toString().startsWith(idPrefix)) {
          found.add(level1.toString());
        }
        for (Path level2 : subdirectories(level1)) {
          if (level2.getFileName().toString().startsWith(idPrefix)) {
            found.add(level2.toString());
          }
        }
      }
    }
    return found.stream().sorted().toList();
  }

  private static List<Path> subdirectories(Path dir) {
    List<Path> dirs = new ArrayList<>();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, Files::isDirectory)) {
      s.forEach(dirs::add);
    } catch (NoSuchFileException | NotDirectoryException e) {
      return List.of(); // removed by someone else while we looked
    } catch (IOException | DirectoryIteratorException e) {
      if (e.getCause() instanceof NoSuchFileException) {
        return List.of();
      }
      throw new IllegalStateException("cannot list " + dir + ": " + e, e);
    }
    return dirs;
  }

  private static List<String> mounts(String temp) {
    try {
      return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
          .filter(l -> l.contains(temp))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<String> processes(String temp, @Nullable Object rootfsKey) {
    List<String> found = new ArrayList<>();
    try (DirectoryStream<Path> proc =
        Files.newDirectoryStream(
            Path.of("/proc"), p -> p.getFileName().toString().matches("\\d+"))) {
      for (Path p : proc) {
        String root = readLink(p.resolve("root"));
        String cmdline = readCmdline(p.resolve("cmdline"));
        boolean inRootfs = rootfsKey != null && rootfsKey.equals(fileKey(p.resolve("root")));
        if (inRootfs || root.startsWith(temp) || cmdline.contains(temp)) {
          found.add(p.getFileName() + " root=" + root + " cmd=" + cmdline);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return found.stream().sorted().toList();
  }

  /** Device and inode of {@code path} (links followed), or null when it is gone or not readable. */
  private static @Nullable Object fileKey(Path path) {
    try {
      return Files.readAttributes(path, BasicFileAttributes.class).fileKey();
    } catch (IOException e) {
      return null;
    }
  }

  /** The target of a /proc link, or "" when the process is gone or not readable. */
  private static String readLink(Path link) {
    try {
      return Files.readSymbolicLink(link).toString();
    } catch (IOException e) {
      return "";
    }
  }

  private static String readCmdline(Path file) {
    try {
      return new String(Files.readAllBytes(file), StandardCharsets.UTF_8).replace('\0', ' ').trim();
    } catch (IOException e) { // gone meanwhile
      return "";
    }
  }
}
