package dev.silo.hcs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Facts about the running kernel that the plan needs, read from /proc. */
final class Kernel {
  private Kernel() {}

  /** The highest capability this kernel knows (/proc/sys/kernel/cap_last_cap). */
  static int lastCap() {
    try {
      return Integer.parseInt(Files.readString(Path.of("/proc/sys/kernel/cap_last_cap")).trim());
    } catch (IOException | NumberFormatException e) {
      return 40;
    }
  }
}
