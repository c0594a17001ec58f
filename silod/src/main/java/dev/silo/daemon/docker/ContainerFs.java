package dev.silo.daemon.docker;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;

/**
 * A container's filesystem as {@code docker cp} sees it, reached from the host: a root directory (a
 * running or created container's {@code /proc/<init>/root}, where its own mounts show, or the
 * overlay of an exited one) plus the bind mounts and volumes the root does not show by itself.
 * Container paths are resolved to host paths with every symlink followed inside the container (an
 * absolute link restarts at the container's root, ".." never climbs above it), never on the host.
 */
final class ContainerFs {
  private static final int MAX_LINKS = 255;

  /** A mount the root does not show: container path (its parts) → host directory. */
  record Mount(List<String> destination, Path source, boolean readOnly) {
    Mount {
      destination = List.copyOf(destination);
    }
  }

  /** A resolved path: its clean container path and the host path it is reached by. */
  record Resolved(String containerPath, Path host) {}

  private final Path root;
  private final List<Mount> mounts;

  /**
   * @param root the container's "/" on the host
   * @param mounts mounts to apply on top of {@code root}; empty when the kernel applies them (a
   *     {@code /proc/<pid>/root} walks the container's own mount namespace)
   */
  ContainerFs(Path root, List<Mount> mounts) {
    this.root = root;
    this.mounts =
        mounts.stream()
            .sorted(Comparator.comparingInt((Mount m) -> m.destination().size()).reversed())
            .toList();
  }

  /** The parts of a container path, "." and empty parts dropped, ".." applied at the root. */
  static List<String> parts(String path) {
    List<String> out = new ArrayList<>();
    for (String p : path.split("/")) {
      if (p.isEmpty() || p.equals(".")) {
        continue;
      }
      if (p.equals("..")) {
        if (!out.isEmpty()) {
          out.removeLast();
        }
        continue;
      }
      out.add(p);
    }
    return out;
  }

  /**
   * Resolves a container path; {@code followLast} also follows a symlink in its last part. The
   * result need not exist.
   */
  Resolved resolve(String path, boolean followLast) throws IOException {
    Deque<String> todo = new ArrayDeque<>();
    push(todo, path);
    List<String> done = new ArrayList<>();
    int links = 0;
    while (!todo.isEmpty()) {
      String part = todo.pop();
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        if (!done.isEmpty()) {
          done.removeLast();
        }
        continue;
      }
      boolean last = todo.stream().allMatch(p -> p.isEmpty() || p.equals("."));
      List<String> candidate = new ArrayList<>(done);
      candidate.add(part);
      Path host = host(candidate);
      if ((!last || followLast) && Files.isSymbolicLink(host)) {
        if (++links > MAX_LINKS) {
          throw new FileSystemException(path, null, "too many levels of symbolic links");
        }
        String target = Files.readSymbolicLink(host).toString();
        if (target.startsWith("/")) {
          done.clear();
        }
        push(todo, target);
        continue;
      }
      done.add(part);
    }
    return new Resolved("/" + String.join("/", done), host(done));
  }

  /** The mount of the deepest declared mount point that holds the container path, if any. */
  static Mount mountOf(List<Mount> declared, String containerPath) {
    List<String> p = parts(containerPath);
    Mount best = null;
    for (Mount m : declared) {
      if (startsWith(p, m.destination())
          && (best == null || m.destination().size() > best.destination().size())) {
        best = m;
      }
    }
    return best == null ? new Mount(List.of(), Path.of("/"), false) : best;
  }

  /** Whether the path exists (a dangling symlink exists). */
  static boolean exists(Path host) {
    return Files.exists(host, LinkOption.NOFOLLOW_LINKS);
  }

  private Path host(List<String> parts) {
    for (Mount m : mounts) {
      if (startsWith(parts, m.destination())) {
        Path p = m.source();
        for (String s : parts.subList(m.destination().size(), parts.size())) {
          p = p.resolve(s);
        }
        return p;
      }
    }
    Path p = root;
    for (String s : parts) {
      p = p.resolve(s);
    }
    return p;
  }

  private static boolean startsWith(List<String> parts, List<String> prefix) {
    return parts.size() >= prefix.size() && parts.subList(0, prefix.size()).equals(prefix);
  }

  private static void push(Deque<String> todo, String path) {
    String[] parts = path.split("/");
    for (int i = parts.length - 1; i >= 0; i--) {
      todo.push(parts[i]);
    }
  }
}
