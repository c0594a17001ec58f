package dev.silo.init;

/**
 * A failure reported by {@code silo-init}: the step that failed, its errno and an optional detail,
 * e.g. {@code mount(proc → /run/silo/c1/rootfs/proc): EPERM (Operation not permitted)}.
 */
public final class InitException extends Exception {
  private static final long serialVersionUID = 1L;

  private final int step;
  private final int errno;
  private final String detail;

  /** An error of step {@code step} (-1 = before any step) with the helper's optional detail. */
  public InitException(String stepDescription, int step, int errno, String detail) {
    super(
        stepDescription
            + ": "
            + Errno.name(errno)
            + " ("
            + Errno.describe(errno)
            + ")"
            + (detail.isEmpty() ? "" : ": " + detail));
    this.step = step;
    this.errno = errno;
    this.detail = detail;
  }

  /** A failure without an errno, e.g. the helper exiting before the container was ready. */
  public InitException(String message) {
    super(message);
    this.step = -1;
    this.errno = 0;
    this.detail = "";
  }

  /** The 0-based index of the failing step, -1 when no step is to blame. */
  public int step() {
    return step;
  }

  /** The errno, 0 when there is none. */
  public int errno() {
    return errno;
  }

  public String errnoName() {
    return errno == 0 ? "" : Errno.name(errno);
  }

  public String detail() {
    return detail;
  }
}
