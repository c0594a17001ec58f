package dev.silo.hcs.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Resolves a container path to a host path inside the rootfs, following symlinks as if the rootfs
 * were "/" (an absolute link restarts at the rootfs, ".." never climbs out of it), as runc's
 * securejoin does; so a mount destination that is a symlink lands inside the container, never on
 * the host.
 */
public final class SecureJoin {
  private static final int MAX_LINKS = 255;

  private SecureJoin() {}

  public static String resolve(Path rootfs, String containerPath) {
    Deque<String> todo = new ArrayDeque<>();
    push(todo, containerPath);
    Deque<String> done = new ArrayDeque<>();
    int links = 0;
    while (!todo.isEmpty()) {
      String part = todo.pop();
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        done.pollLast();
        continue;
      }
      Path host = hostPath(rootfs, done).resolve(part);
      if (Files.isSymbolicLink(host) && links++ < MAX_LINKS) {
        try {
          String target = Files.readSymbolicLink(host).toString();
          if (target.startsWith("/")) {
            done.clear();
          }
          push(todo, target);
          continue;
        } catch (IOException e) {
          // Unreadable link: treat it as a plain name.
        }
      }
      done.addLast(part);
    }
    return hostPath(rootfs, done).toString();
  }

  private static void push(Deque<String> todo, String path) {
    String[] parts = path.split("/");
    for (int i = parts.length - 1; i >= 0; i--) {
      todo.push(parts[i]);
    }
  }

  private static Path hostPath(Path rootfs, Deque<String> parts) {
    Path p = rootfs;
    for (String s : parts) {
      p = p.resolve(s);
    }
    return p;
  }
}
