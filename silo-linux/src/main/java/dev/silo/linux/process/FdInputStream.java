package dev.silo.linux.process;

import java.io.IOException;
import java.io.InputStream;

/**
 * An {@link InputStream} over a raw fd (a pipe's read end or a pty master) that it owns: Java has
 * no public way to wrap an fd number, and a pty master cannot be reopened through /proc.
 */
public final class FdInputStream extends InputStream {
  private final int fd;
  private volatile boolean closed;

  public FdInputStream(int fd) {
    this.fd = fd;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n <= 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (closed) {
      throw new IOException("stream closed");
    }
    if (len == 0) {
      return 0;
    }
    int n = Fds.read(fd, b, off, Math.min(len, 65536));
    return n == 0 ? -1 : n;
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      Fds.close(fd);
    }
  }
}
