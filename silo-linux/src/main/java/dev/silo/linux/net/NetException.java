package dev.silo.linux.net;

import org.jspecify.annotations.Nullable;

/**
 * A failed network dataplane operation, naming the operation, the object and the kernel's reason,
 * e.g. {@code RTM_NEWLINK veth silo0a: File exists}.
 */
public class NetException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String operation;
  private final String object;
  private final int errno;

  /** A failure with an errno (0 when the failure did not come from the kernel). */
  public NetException(String operation, String object, int errno, String reason) {
    this(operation, object, errno, reason, null);
  }

  /** A failure with an errno and the exception that caused it. */
  public NetException(
      String operation, String object, int errno, String reason, @Nullable Throwable cause) {
    super(format(operation, object, reason), cause);
    this.operation = operation;
    this.object = object;
    this.errno = errno;
  }

  private static String format(String operation, String object, String reason) {
    return object.isEmpty() ? operation + ": " + reason : operation + " " + object + ": " + reason;
  }

  /** The operation, e.g. {@code RTM_NEWLINK veth} or {@code setns}. */
  public String operation() {
    return operation;
  }

  /** The object acted on, e.g. a link name or a namespace path. */
  public String object() {
    return object;
  }

  /** The kernel's errno, or 0 when the failure is not an errno (e.g. an nft syntax error). */
  public int errno() {
    return errno;
  }
}
