package dev.silo.daemon.docker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * A health probe's stdout and stderr together, as moby's limitedBuffer: the first {@value
 * #MAX_OUTPUT} bytes, with "..." appended when more came.
 */
final class ProbeOutput {
  static final int MAX_OUTPUT = 4096;

  private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
  private boolean truncated;

  synchronized void write(byte[] data, int n) {
    int keep = Math.min(MAX_OUTPUT - buf.size(), n);
    if (keep > 0) {
      buf.write(data, 0, keep);
    }
    truncated |= keep < n;
  }

  void drain(@Nullable InputStream in) {
    if (in == null) {
      return;
    }
    byte[] b = new byte[8192];
    try {
      int n;
      while ((n = in.read(b)) > 0) {
        write(b, n);
      }
    } catch (IOException e) {
      // the pipe ended
    }
  }

  synchronized String text() {
    String s = buf.toString(StandardCharsets.UTF_8);
    return truncated ? s + "..." : s;
  }
}
