package dev.silo.linux.process;

import java.io.IOException;

/** A failed system call: its name, the errno and what it acted on. */
public final class ErrnoException extends IOException {
  private static final long serialVersionUID = 1L;

  private final String syscall;
  private final int errno;

  public ErrnoException(String syscall, int errno, String what) {
    super(syscall + "(" + what + "): errno " + errno);
    this.syscall = syscall;
    this.errno = errno;
  }

  public String syscall() {
    return syscall;
  }

  public int errno() {
    return errno;
  }
}
