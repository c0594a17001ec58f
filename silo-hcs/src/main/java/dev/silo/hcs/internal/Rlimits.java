package dev.silo.hcs.internal;

import java.util.List;

/** {@code RLIMIT_*} names to the resource numbers of setrlimit(2) on Linux. */
public final class Rlimits {
  private static final List<String> NAMES =
      List.of(
          "RLIMIT_CPU",
          "RLIMIT_FSIZE",
          "RLIMIT_DATA",
          "RLIMIT_STACK",
          "RLIMIT_CORE",
          "RLIMIT_RSS",
          "RLIMIT_NPROC",
          "RLIMIT_NOFILE",
          "RLIMIT_MEMLOCK",
          "RLIMIT_AS",
          "RLIMIT_LOCKS",
          "RLIMIT_SIGPENDING",
          "RLIMIT_MSGQUEUE",
          "RLIMIT_NICE",
          "RLIMIT_RTPRIO",
          "RLIMIT_RTTIME");

  private Rlimits() {}

  /** The resource number, or -1 when unknown. */
  public static int resource(String name) {
    return NAMES.indexOf(name);
  }
}
