package dev.silo.bench.jmh;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Waits for a process that is not our child to exit by polling {@code /proc/<pid>/stat}: the
 * detached init is reparented away from this JVM, so {@code waitpid} is not available, and an
 * exited init that nobody has reaped yet (state Z) already counts as exited, as silo's own {@code
 * state} sees it.
 */
public final class ProcWatch {

  private static final long POLL_NANOS = TimeUnit.MICROSECONDS.toNanos(50);

  private final Path statFile;
  private final long startTime;

  private ProcWatch(Path statFile, long startTime) {
    this.statFile = statFile;
    this.startTime = startTime;
  }

  /** Watches {@code pid}, which must be alive now; its start time guards against pid reuse. */
  public static ProcWatch of(int pid) throws IOException {
    Path stat = Path.of("/proc/" + pid + "/stat");
    String line = Files.readString(stat);
    return new ProcWatch(stat, field(line, 22));
  }

  /**
   * Blocks until the process has exited (gone, a zombie, or its pid reused); fails after {@code
   * timeoutMillis}.
   */
  public void awaitExit(long timeoutMillis) throws IOException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    while (isRunning()) {
      if (System.nanoTime() - deadline > 0) {
        throw new IOException(
            statFile.getParent() + " still running after " + timeoutMillis + " ms");
      }
      // A short park, not a spin: on 2 CPUs a spinning poller would steal the CPU the init needs to
      // exit.
      LockSupport.parkNanos(POLL_NANOS);
    }
  }

  boolean isRunning() throws IOException {
    String line;
    try {
      line = Files.readString(statFile);
    } catch (NoSuchFileException e) {
      return false;
    } catch (IOException e) {
      // A process that vanishes during the read gives ESRCH instead of ENOENT.
      if (!Files.exists(statFile.getParent())) {
        return false;
      }
      throw e;
    }
    char state = afterComm(line).charAt(0);
    return state != 'Z' && state != 'X' && field(line, 22) == startTime;
  }

  // comm (field 2) is in parentheses and may hold spaces or ')': fields are counted after the last
  // ')'.
  private static String afterComm(String line) {
    return line.substring(line.lastIndexOf(')') + 2);
  }

  static long field(String line, int n) {
    String[] f = afterComm(line).trim().split(" ");
    return Long.parseLong(f[n - 3]);
  }
}
