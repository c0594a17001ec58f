package dev.silo.linux.seccomp;

/**
 * A seccomp action as the OCI runtime spec names it ({@code SCMP_ACT_*}), with its kernel return
 * value.
 */
public enum Action {
  /** {@code SCMP_ACT_KILL}: runc and libseccomp treat it as killing the thread. */
  KILL(0x0000_0000, "SCMP_ACT_KILL"),
  KILL_PROCESS(0x8000_0000, "SCMP_ACT_KILL_PROCESS"),
  KILL_THREAD(0x0000_0000, "SCMP_ACT_KILL_THREAD"),
  TRAP(0x0003_0000, "SCMP_ACT_TRAP"),
  ERRNO(0x0005_0000, "SCMP_ACT_ERRNO"),
  TRACE(0x7ff0_0000, "SCMP_ACT_TRACE"),
  ALLOW(0x7fff_0000, "SCMP_ACT_ALLOW"),
  LOG(0x7ffc_0000, "SCMP_ACT_LOG"),
  NOTIFY(0x7fc0_0000, "SCMP_ACT_NOTIFY");

  private final int retBase;
  private final String ociName;

  Action(int retBase, String ociName) {
    this.retBase = retBase;
    this.ociName = ociName;
  }

  /**
   * The action for an OCI name such as {@code SCMP_ACT_ERRNO}.
   *
   * @throws IllegalArgumentException naming the unknown action, for the caller to prefix with its
   *     JSON path
   */
  public static Action of(String ociName) {
    for (Action a : values()) {
      if (a.ociName.equals(ociName)) {
        return a;
      }
    }
    throw new IllegalArgumentException("unknown action " + ociName);
  }

  /** The OCI spelling, e.g. {@code SCMP_ACT_ALLOW}. */
  public String ociName() {
    return ociName;
  }

  /**
   * Whether the action carries a 16-bit data value (the errno for ERRNO, the tracer's message for
   * TRACE).
   */
  boolean takesData() {
    return this == ERRNO || this == TRACE;
  }

  /**
   * The {@code SECCOMP_RET_*} value with {@code data} in the low 16 bits where the action takes
   * data.
   */
  int ret(int data) {
    return takesData() ? retBase | (data & 0xffff) : retBase;
  }
}
