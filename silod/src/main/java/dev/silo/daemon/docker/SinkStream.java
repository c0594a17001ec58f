package dev.silo.daemon.docker;

import dev.silo.daemon.http.ApiResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/** Chunks written to a streamed response in 64 KiB pieces; a gone client ends the stream. */
final class SinkStream extends OutputStream {
  private static final int CHUNK = 64 * 1024;

  private final ApiResponse.Sink sink;
  private final byte[] buf = new byte[CHUNK];
  private int n;

  SinkStream(ApiResponse.Sink sink) {
    this.sink = sink;
  }

  @Override
  public void write(int b) throws IOException {
    if (n == buf.length) {
      flush();
    }
    buf[n++] = (byte) b;
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    while (len > 0) {
      if (n == buf.length) {
        flush();
      }
      int k = Math.min(len, buf.length - n);
      System.arraycopy(b, off, buf, n, k);
      n += k;
      off += k;
      len -= k;
    }
  }

  @Override
  public void flush() throws IOException {
    if (n > 0) {
      byte[] chunk = Arrays.copyOf(buf, n);
      n = 0;
      if (!sink.send(chunk)) {
        throw new IOException("client went away");
      }
    }
  }

  @Override
  public void close() throws IOException {
    flush();
  }
}
