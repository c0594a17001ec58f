package dev.silo.linux.seccomp;

import java.io.Serial;

/**
 * A seccomp profile that cannot be compiled; the message starts with the JSON path of the offending
 * field.
 */
public final class SeccompException extends Exception {
  @Serial private static final long serialVersionUID = 1L;

  /** A problem at {@code path}, e.g. {@code linux.seccomp.syscalls[3].action}. */
  public SeccompException(String path, String problem) {
    super(path + ": " + problem);
  }
}
