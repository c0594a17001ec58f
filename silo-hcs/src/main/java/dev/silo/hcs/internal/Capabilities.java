package dev.silo.hcs.internal;

import java.util.List;

/** Linux capability names ({@code CAP_*}) to the bit masks capset(2) takes. */
public final class Capabilities {
  private static final List<String> NAMES =
      List.of(
          "CAP_CHOWN",
          "CAP_DAC_OVERRIDE",
          "CAP_DAC_READ_SEARCH",
          "CAP_FOWNER",
          "CAP_FSETID",
          "CAP_KILL",
          "CAP_SETGID",
          "CAP_SETUID",
          "CAP_SETPCAP",
          "CAP_LINUX_IMMUTABLE",
          "CAP_NET_BIND_SERVICE",
          "CAP_NET_BROADCAST",
          "CAP_NET_ADMIN",
          "CAP_NET_RAW",
          "CAP_IPC_LOCK",
          "CAP_IPC_OWNER",
          "CAP_SYS_MODULE",
          "CAP_SYS_RAWIO",
          "CAP_SYS_CHROOT",
          "CAP_SYS_PTRACE",
          "CAP_SYS_PACCT",
          "CAP_SYS_ADMIN",
          "CAP_SYS_BOOT",
          "CAP_SYS_NICE",
          "CAP_SYS_RESOURCE",
          "CAP_SYS_TIME",
          "CAP_SYS_TTY_CONFIG",
          "CAP_MKNOD",
          "CAP_LEASE",
          "CAP_AUDIT_WRITE",
          "CAP_AUDIT_CONTROL",
          "CAP_SETFCAP",
          "CAP_MAC_OVERRIDE",
          "CAP_MAC_ADMIN",
          "CAP_SYSLOG",
          "CAP_WAKE_ALARM",
          "CAP_BLOCK_SUSPEND",
          "CAP_AUDIT_READ",
          "CAP_PERFMON",
          "CAP_BPF",
          "CAP_CHECKPOINT_RESTORE");

  private Capabilities() {}

  /** The bit number of a capability, or -1 when the name is unknown. */
  public static int bit(String name) {
    return NAMES.indexOf(name);
  }

  /** All known capability names. */
  public static List<String> names() {
    return NAMES;
  }

  /**
   * The mask of the named capabilities that this kernel knows ({@code lastCap} from
   * /proc/sys/kernel/cap_last_cap); unknown names fail, names past the kernel's last cap are
   * skipped as runc skips them.
   */
  public static long mask(List<String> names, int lastCap, String field)
      throws IllegalArgumentException {
    long m = 0;
    for (String n : names) {
      int b = bit(n);
      if (b < 0) {
        throw new IllegalArgumentException(field + ": unknown capability \"" + n + "\"");
      }
      if (b <= lastCap) {
        m |= 1L << b;
      }
    }
    return m;
  }
}
