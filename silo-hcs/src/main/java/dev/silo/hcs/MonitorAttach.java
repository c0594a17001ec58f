package dev.silo.hcs;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * A connection to a container's {@code attach.sock} (docs/monitor.md): its live output as Docker's
 * multiplexed stream frames (raw for a tty), and its stdin and window size the other way.
 */
public final class MonitorAttach implements AutoCloseable {
  /** Stream types of the frames: Docker's stdcopy values. */
  public static final int STDOUT = 1;

  public static final int STDERR = 2;

  /** How long a write may wait for the monitor (it waits while the container's stdin is full). */
  private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(30);

  private static final int IN_STDIN = 0;
  private static final int IN_RESIZE = 3;
  private static final int IN_CLOSE_STDIN = 4;

  private final SocketChannel ch;
  private final Selector selector;
  private final boolean tty;
  private final ByteBuffer in = ByteBuffer.allocate(64 * 1024).flip();

  private MonitorAttach(SocketChannel ch, Selector selector, boolean tty) {
    this.ch = ch;
    this.selector = selector;
    this.tty = tty;
  }

  /** Connects; {@code tty} says whether the container has a terminal (raw output, no frames). */
  public static MonitorAttach open(Path socket, boolean tty) throws IOException {
    SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
    try {
      ch.connect(UnixDomainSocketAddress.of(socket));
      ch.configureBlocking(false);
      Selector sel = Selector.open();
      ch.register(sel, SelectionKey.OP_READ);
      return new MonitorAttach(ch, sel, tty);
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  /** A piece of output: its stream ({@link #STDOUT} or {@link #STDERR}) and bytes. */
  public record Frame(int stream, byte[] data) {}

  /**
   * The next piece of output, waiting at most {@code timeout}; null at the end of the stream (the
   * container exited and the monitor closed the connection).
   *
   * @throws java.net.SocketTimeoutException when nothing came within {@code timeout}
   */
  public @Nullable Frame read(Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    if (tty) {
      if (!fill(1, deadline)) {
        return null;
      }
      byte[] data = new byte[in.remaining()];
      in.get(data);
      return new Frame(STDOUT, data);
    }
    if (!fill(8, deadline)) {
      return null;
    }
    int stream = in.get() & 0xff;
    in.position(in.position() + 3);
    int len = in.getInt();
    if (stream != STDOUT && stream != STDERR || len < 0) {
      throw new IOException("attach: malformed frame header (stream " + stream + ")");
    }
    byte[] data = new byte[len];
    int got = 0;
    while (got < len) {
      if (!fill(1, deadline)) {
        throw new IOException("attach: connection closed inside a frame");
      }
      int n = Math.min(in.remaining(), len - got);
      in.get(data, got, n);
      got += n;
    }
    return new Frame(stream, data);
  }

  /** Makes at least {@code n} bytes available; false at EOF with none pending. */
  private boolean fill(int n, long deadline) throws IOException {
    while (in.remaining() < n) {
      in.compact();
      int r;
      try {
        r = ch.read(in);
      } finally {
        in.flip();
      }
      if (r < 0) {
        if (in.hasRemaining()) {
          throw new IOException("attach: connection closed inside a frame");
        }
        return false;
      }
      if (r == 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new java.net.SocketTimeoutException("attach: no output in time");
        }
        selector.select(Math.max(1, left / 1_000_000));
        selector.selectedKeys().clear();
      }
    }
    return true;
  }

  /** Writes to the container's stdin (when it was created with an open stdin, or a tty). */
  public void write(byte[] data) throws IOException {
    send(IN_STDIN, data);
  }

  /** Closes the container's stdin (for a tty: sends end-of-file, ^D). */
  public void closeStdin() throws IOException {
    send(IN_CLOSE_STDIN, new byte[0]);
  }

  /** Sets the pty's window size (TIOCSWINSZ); ignored without a tty. */
  public void resize(int rows, int cols) throws IOException {
    if (rows < 0 || rows > 0xffff || cols < 0 || cols > 0xffff) {
      throw new IllegalArgumentException("resize: rows and cols must be 0..65535");
    }
    send(IN_RESIZE, new byte[] {(byte) (rows >> 8), (byte) rows, (byte) (cols >> 8), (byte) cols});
  }

  private synchronized void send(int type, byte[] payload) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(8 + payload.length);
    b.put((byte) type).put((byte) 0).put((byte) 0).put((byte) 0).putInt(payload.length);
    b.put(payload).flip();
    long deadline = System.nanoTime() + WRITE_TIMEOUT.toNanos();
    try (Selector w = Selector.open()) {
      while (b.hasRemaining()) {
        if (System.nanoTime() > deadline) {
          throw new java.net.SocketTimeoutException(
              "attach: the monitor took no input for " + WRITE_TIMEOUT.toSeconds() + " s");
        }
        if (ch.write(b) == 0) {
          // blocking writes would need a blocking channel, which the reads must not be
          SelectionKey k = ch.register(w, SelectionKey.OP_WRITE);
          w.select(1000);
          k.cancel();
          w.selectNow();
        }
      }
    }
  }

  @Override
  public void close() throws IOException {
    try {
      selector.close();
    } finally {
      ch.close();
    }
  }
}
