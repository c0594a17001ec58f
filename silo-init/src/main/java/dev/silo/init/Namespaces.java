package dev.silo.init;

/** Linux {@code CLONE_NEW*} namespace flags, as used by CLONE and JOIN_NS steps. */
public final class Namespaces {
  public static final int CLONE_NEWTIME = 0x00000080;
  public static final int CLONE_NEWNS = 0x00020000;
  public static final int CLONE_NEWCGROUP = 0x02000000;
  public static final int CLONE_NEWUTS = 0x04000000;
  public static final int CLONE_NEWIPC = 0x08000000;
  public static final int CLONE_NEWUSER = 0x10000000;
  public static final int CLONE_NEWPID = 0x20000000;
  public static final int CLONE_NEWNET = 0x40000000;

  private static final int[] FLAGS = {
    CLONE_NEWNS,
    CLONE_NEWUTS,
    CLONE_NEWIPC,
    CLONE_NEWUSER,
    CLONE_NEWPID,
    CLONE_NEWNET,
    CLONE_NEWCGROUP,
    CLONE_NEWTIME
  };
  private static final String[] NAMES = {
    "mnt", "uts", "ipc", "user", "pid", "net", "cgroup", "time"
  };

  private Namespaces() {}

  /**
   * Short names as in {@code /proc/PID/ns}, joined by {@code |}, e.g. {@code "mnt|pid"}; "none" for
   * 0.
   */
  static String names(int flags) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < FLAGS.length; i++) {
      if ((flags & FLAGS[i]) != 0) {
        out.append(out.isEmpty() ? "" : "|").append(NAMES[i]);
      }
    }
    int unknown =
        flags
            & ~(CLONE_NEWNS
                | CLONE_NEWUTS
                | CLONE_NEWIPC
                | CLONE_NEWUSER
                | CLONE_NEWPID
                | CLONE_NEWNET
                | CLONE_NEWCGROUP
                | CLONE_NEWTIME);
    if (unknown != 0) {
      out.append(out.isEmpty() ? "" : "|").append("0x").append(Integer.toHexString(unknown));
    }
    return out.isEmpty() ? "none" : out.toString();
  }
}
