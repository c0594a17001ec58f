package dev.silo.linux.process;

import java.io.IOException;
import java.io.OutputStream;

/**
 * An {@link OutputStream} over a raw fd that it owns (a pipe's write end or a pty master); closing
 * it is what the reader sees as EOF.
 */
public final class FdOutputStream extends OutputStream {
  private final int fd;
  private final boolean ownsFd;
  private volatile boolean closed;

  /** A stream that closes {@code fd} when it closes, unless {@code ownsFd} is false. */
  public FdOutputStream(int fd, boolean ownsFd) {
    this.fd = fd;
    this.ownsFd = ownsFd;
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    if (closed) {
      throw new IOException("stream closed");
    }
    Fds.write(fd, b, off, len);
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      if (ownsFd) {
        Fds.close(fd);
      }
    }
  }
}
