package dev.silo.daemon.docker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Facts about the host that {@code info} and {@code version} report, read from /proc. */
public final class Host {
  private Host() {}

  /** {@code uname -r}. */
  public static String kernelVersion() {
    return read(Path.of("/proc/sys/kernel/osrelease"), System.getProperty("os.version", ""));
  }

  /** The host name. */
  public static String hostname() {
    return read(Path.of("/proc/sys/kernel/hostname"), "localhost");
  }

  /** Total memory in bytes (MemTotal of /proc/meminfo). */
  public static long memTotal() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemTotal:")) {
          String kb = line.substring("MemTotal:".length()).trim().split("\\s+")[0];
          return Long.parseLong(kb) * 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      return 0;
    }
    return 0;
  }

  /** Go's name of the architecture ({@code x86_64} as {@code uname -m}, as dockerd reports it). */
  public static String architecture() {
    String a = System.getProperty("os.arch", "");
    return a.equals("amd64") ? "x86_64" : a;
  }

  /** Go's GOARCH for {@code version}. */
  public static String goArch() {
    String a = System.getProperty("os.arch", "");
    return a.equals("x86_64") ? "amd64" : a;
  }

  /** cgroup version as dockerd reports it: "2" on a pure v2 host, "1" on v1 and hybrid ones. */
  public static String cgroupVersion() {
    return Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers")) ? "2" : "1";
  }

  private static String read(Path p, String fallback) {
    try {
      return Files.readString(p).trim();
    } catch (IOException e) {
      return fallback;
    }
  }
}
