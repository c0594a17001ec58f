package dev.silo.linux.cgroup;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;

/** runc's cgroupsPath rules, with a hard stop at the hierarchy root. */
final class CgroupPaths {
  private CgroupPaths() {}

  /**
   * The directory of {@code cgroupsPath} in one hierarchy: absolute = from the hierarchy root,
   * relative = under this process's own cgroup, empty = {@code /<containerId>}.
   *
   * @param ownPath this process's cgroup in the hierarchy, relative to the mount's root
   * @throws IllegalArgumentException if the path climbs above the hierarchy root or is the root
   */
  static Path resolve(Path mountPoint, String ownPath, String cgroupsPath, String containerId) {
    String inner = cgroupsPath.isEmpty() ? "/" + containerId : cgroupsPath;
    Deque<String> segments = new ArrayDeque<>();
    if (!inner.startsWith("/")) {
      push(segments, ownPath, inner, mountPoint);
    }
    push(segments, inner, inner, mountPoint);
    if (segments.isEmpty()) {
      throw new IllegalArgumentException(
          "cgroup path "
              + inner
              + " is the root of the hierarchy "
              + mountPoint
              + "; a container needs its own cgroup");
    }
    Path dir = mountPoint;
    for (String segment : segments) {
      dir = dir.resolve(segment);
    }
    return dir;
  }

  private static void push(Deque<String> segments, String path, String whole, Path mountPoint) {
    for (String segment : path.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".")) {
        continue;
      }
      if (segment.equals("..")) {
        if (segments.isEmpty()) {
          throw new IllegalArgumentException(
              "cgroup path " + whole + " escapes the hierarchy root " + mountPoint);
        }
        segments.removeLast();
      } else {
        segments.addLast(segment);
      }
    }
  }
}
