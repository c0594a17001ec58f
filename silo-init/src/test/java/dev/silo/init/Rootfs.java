package dev.silo.init;

import static dev.silo.init.MountFlags.MS_BIND;
import static dev.silo.init.MountFlags.MS_NODEV;
import static dev.silo.init.MountFlags.MS_NOEXEC;
import static dev.silo.init.MountFlags.MS_NOSUID;
import static dev.silo.init.MountFlags.MS_REC;
import static dev.silo.init.MountFlags.MS_SLAVE;
import static dev.silo.init.MountFlags.OPT_MKDIR;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * Test support: a busybox rootfs (tools/busybox-rootfs.sh) and the runc-like plan steps around it.
 */
final class Rootfs {
  static final int ALL_NS =
      Namespaces.CLONE_NEWNS
          | Namespaces.CLONE_NEWPID
          | Namespaces.CLONE_NEWUTS
          | Namespaces.CLONE_NEWIPC
          | Namespaces.CLONE_NEWNET;
  static final List<String> ENV = List.of("PATH=/bin:/usr/sbin", "HOME=/root");
  static final Duration TIMEOUT = Duration.ofSeconds(20);
  static final int ESRCH = 3;
  private static final int S_IFCHR = 0020000;
  private static final String[] DEVICES = {"null", "zero", "full", "random", "urandom", "tty"};
  private static final int[][] NUMBERS = {{1, 3}, {1, 5}, {1, 7}, {1, 8}, {1, 9}, {5, 0}};

  private Rootfs() {}

  static Path build(Path dest) throws IOException, InterruptedException {
    assertThat(System.getProperty("user.name"))
        .as("real-kernel tests run as root")
        .isEqualTo("root");
    // failsafe runs in the module directory; the script lives in the repository's tools/
    Path script =
        Path.of(System.getProperty("user.dir"))
            .toAbsolutePath()
            .resolveSibling("tools/busybox-rootfs.sh");
    Process p = new ProcessBuilder("sh", script.toString(), dest.toString()).inheritIO().start();
    assertThat(p.waitFor()).as("busybox-rootfs.sh").isZero();
    return dest;
  }

  /**
   * Clone, rslave /, bind the rootfs onto itself (pivot_root needs a mount point), proc, tmpfs /dev
   * with basic nodes (mknod, or host binds in a user namespace) and {@code out} at /out.
   */
  static Plan.Builder container(Plan.Builder b, int cloneFlags, Path rootfs, Path out) {
    String r = rootfs.toString();
    b.cloneNamespaces(cloneFlags);
    if ((cloneFlags & Namespaces.CLONE_NEWUSER) != 0) {
      b.uidMap("0 100000 65536\n").gidMap("0 100000 65536\n");
    }
    b.setPropagation("/", MS_SLAVE | MS_REC)
        .mount(r, r, null, MS_BIND | MS_REC, null, 0)
        .mount("proc", r + "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, null, OPT_MKDIR)
        .mount(
            "tmpfs",
            r + "/dev",
            "tmpfs",
            MS_NOSUID | MountFlags.MS_STRICTATIME,
            "mode=755,size=65536k",
            OPT_MKDIR);
    for (int i = 0; i < DEVICES.length; i++) {
      if ((cloneFlags & Namespaces.CLONE_NEWUSER) != 0) {
        b.bindDevice("/dev/" + DEVICES[i], r + "/dev/" + DEVICES[i]);
      } else {
        b.mknod(r + "/dev/" + DEVICES[i], S_IFCHR | 0666, NUMBERS[i][0], NUMBERS[i][1], 0, 0);
      }
    }
    return b.mount(out.toString(), r + "/out", null, MS_BIND, null, OPT_MKDIR)
        .sethostname("silo-it");
  }

  /** Gone, or a zombie waiting for whoever it was re-parented to. */
  static boolean gone(int pid) {
    if (SiloInit.kill(pid, 0) == -ESRCH) {
      return true;
    }
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
    } catch (IOException e) {
      return true;
    }
  }

  static void poll(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for: " + what);
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
    }
  }

  static void deleteTree(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
