package dev.silo.linux;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What this Linux host supports, each flag with the reason when it is missing (as Netty's probes
 * do).
 */
public final class LinuxFeatures {
  private LinuxFeatures() {}

  /** Whether the current process runs as root (uid 0), read from /proc without native calls. */
  public static boolean isRoot() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("Uid:")) {
          return line.split("\\s+")[2].equals("0");
        }
      }
    } catch (java.io.IOException e) {
      return false;
    }
    return false;
  }
}
