package dev.silo.hcs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The busybox root filesystem of the real-kernel tests: a temporary base directory (as root),
 * {@code tools/busybox-rootfs.sh} run into it, and its removal afterwards.
 */
final class BusyboxRootfs {
  private BusyboxRootfs() {}

  /** A new temporary directory for one test class; fails unless the tests run as root. */
  static Path tempBase(String prefix) throws IOException {
    assertThat(System.getProperty("user.name"))
        .as("real-kernel tests run as root")
        .isEqualTo("root");
    return Files.createTempDirectory(prefix);
  }

  /** Makes a busybox root filesystem at {@code rootfs}. */
  static void make(Path rootfs) throws IOException, InterruptedException {
    java.lang.Process p =
        new ProcessBuilder("sh", script().toString(), rootfs.toString()).inheritIO().start();
    assertThat(p.waitFor()).as("busybox-rootfs.sh").isZero();
  }

  /**
   * tools/busybox-rootfs.sh, found by walking up from the working directory (failsafe runs in the
   * module).
   */
  private static Path script() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path script = dir.resolve("tools/busybox-rootfs.sh");
      if (Files.isRegularFile(script)) {
        return script;
      }
    }
    throw new AssertionError(
        "tools/busybox-rootfs.sh not found above " + Path.of("").toAbsolutePath());
  }

  /** Deletes {@code base} and everything under it. */
  static void delete(Path base) throws IOException {
    try (Stream<Path> paths = Files.walk(base)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
