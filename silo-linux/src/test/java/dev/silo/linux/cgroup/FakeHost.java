package dev.silo.linux.cgroup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A temp directory shaped like /sys/fs/cgroup plus the mountinfo and /proc/self/cgroup that
 * describe it; cgroup files are seeded by the test, as the kernel would populate them.
 */
final class FakeHost {
  final Path root;
  final Path mountinfo;
  final Path procSelfCgroup;
  final CgroupFiles files = CgroupFiles.recording();
  private final List<String> mounts = new ArrayList<>();
  private final List<String> own = new ArrayList<>();

  private FakeHost(Path tmp) {
    this.root = tmp.resolve("sys/fs/cgroup");
    this.mountinfo = tmp.resolve("mountinfo");
    this.procSelfCgroup = tmp.resolve("cgroup");
    mkdirs(root);
    mounts.add("22 1 0:20 / /sys rw - sysfs sysfs rw");
    mounts.add("31 22 0:28 / " + root + " rw,relatime - tmpfs tmpfs rw,mode=755");
  }

  static FakeHost empty(Path tmp) {
    return new FakeHost(tmp).write();
  }

  /** This machine's layout: cpu and cpuacct apart, cgroup2 at unified holding hugetlb. */
  static FakeHost hybrid(Path tmp) {
    FakeHost host = new FakeHost(tmp);
    for (String c :
        List.of("cpu", "cpuacct", "cpuset", "memory", "devices", "freezer", "blkio", "pids")) {
      host.v1(c, c, "/");
    }
    host.v1("systemd", "name=systemd", "/");
    host.v2("unified", "hugetlb", "/");
    return host;
  }

  static FakeHost v2(Path tmp) {
    return new FakeHost(tmp).v2("", "cpuset cpu io memory hugetlb pids", "/");
  }

  static FakeHost v1(Path tmp) {
    FakeHost host = new FakeHost(tmp);
    host.v1("cpu,cpuacct", "cpu,cpuacct", "/");
    for (String c : List.of("cpuset", "memory", "devices", "freezer", "blkio", "pids", "hugetlb")) {
      host.v1(c, c, "/");
    }
    return host;
  }

  /** Adds a v1 hierarchy at root/dirName with those mount options, this process at ownPath. */
  FakeHost v1(String dirName, String controllers, String ownPath) {
    Path mp = root.resolve(dirName);
    mkdirs(mp);
    mounts.add(
        (40 + mounts.size())
            + " 31 0:"
            + (30 + mounts.size())
            + " / "
            + mp
            + " rw,nosuid - cgroup cgroup rw,"
            + controllers);
    own.add((own.size() + 1) + ":" + controllers + ":" + ownPath);
    return write();
  }

  /** Adds the cgroup2 hierarchy at root/dirName ("" = root itself) with cgroup.controllers. */
  FakeHost v2(String dirName, String controllers, String ownPath) {
    Path mp = dirName.isEmpty() ? root : root.resolve(dirName);
    mkdirs(mp);
    if (dirName.isEmpty()) {
      mounts.removeIf(line -> line.contains(" tmpfs "));
    }
    mounts.add(
        (40 + mounts.size())
            + " 31 0:"
            + (30 + mounts.size())
            + " / "
            + mp
            + " rw,nosuid - cgroup2 cgroup2 rw,nsdelegate");
    own.add("0::" + ownPath);
    seed(mp, "cgroup.controllers", controllers, "cgroup.subtree_control", "");
    return write();
  }

  /** Replaces mountinfo lines verbatim (for mount roots and escapes). */
  FakeHost mountinfo(List<String> lines, List<String> procSelfCgroupLines) {
    mounts.clear();
    mounts.addAll(lines);
    own.clear();
    own.addAll(procSelfCgroupLines);
    return write();
  }

  private FakeHost write() {
    try {
      Files.write(mountinfo, mounts);
      Files.write(procSelfCgroup, own);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  /** Writes so far, with paths relative to the fake /sys/fs/cgroup: {@code memory/c1/x=1}. */
  List<String> journal() {
    return files.journal().stream()
        .map(line -> line.substring(root.toString().length() + 1))
        .toList();
  }

  CgroupDriver driver() throws IOException {
    return CgroupDetector.detect(mountinfo, procSelfCgroup, files);
  }

  /** Creates dir and the given files: name, value, name, value… */
  static Path seed(Path dir, String... nameValue) {
    mkdirs(dir);
    try {
      for (int i = 0; i < nameValue.length; i += 2) {
        Files.writeString(dir.resolve(nameValue[i]), nameValue[i + 1]);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return dir;
  }

  static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void mkdirs(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
