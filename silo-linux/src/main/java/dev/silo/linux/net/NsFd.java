package dev.silo.linux.net;

import java.nio.file.Path;

/** An open namespace file descriptor, closed by {@link #close()}. */
public final class NsFd implements AutoCloseable {
  private final int fd;
  private boolean closed;

  private NsFd(int fd) {
    this.fd = fd;
  }

  /** Opens an nsfs file read-only, close-on-exec. */
  public static NsFd open(Path path) {
    int fd = Libc.open(path.toString(), Libc.O_RDONLY | Libc.O_CLOEXEC);
    NetNs.check(fd, "open", path.toString());
    return new NsFd(fd);
  }

  /** The raw descriptor. */
  public int fd() {
    return fd;
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      Libc.close(fd);
    }
  }
}
