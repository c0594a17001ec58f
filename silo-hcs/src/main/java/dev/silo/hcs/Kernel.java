package dev.silo.hcs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Facts about the running kernel that the plan needs, read from /proc. */
final class Kernel {
  private Kernel() {}

  /**
   * The highest capability this kernel knows (/proc/sys/kernel/cap_last_cap). Read line-wise:
   * Files.readString sizes its read from stat and returns only "4" of "40" for this sysctl file.
   */
  static int lastCap() {
    try {
      return Integer.parseInt(
          Files.readAllLines(Path.of("/proc/sys/kernel/cap_last_cap")).getFirst().trim());
    } catch (IOException | NumberFormatException e) {
      return 40;
    }
  }
}
