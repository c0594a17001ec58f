package dev.silo.bench;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Runs one command to completion and measures its wall-clock time from spawn to reaped exit.
 *
 * <p>Output goes to files, never to pipes: with {@code terminal: false} a container inherits the
 * runtime's stdio, so reading a pipe to its end would wait for the container rather than for {@code
 * create}.
 */
final class TimedExec {

  private static final File DEV_NULL = new File("/dev/null");
  private static final int ERROR_TAIL = 600;

  private final Path stdout;
  private final Path stderr;

  TimedExec(Path scratch) {
    this.stdout = scratch.resolve("stdout");
    this.stderr = scratch.resolve("stderr");
  }

  /** Runs argv and returns the elapsed nanoseconds; a non-zero exit is a {@link BenchException}. */
  long run(List<String> argv) throws IOException, InterruptedException {
    ProcessBuilder pb =
        new ProcessBuilder(argv)
            .redirectInput(DEV_NULL)
            .redirectOutput(stdout.toFile())
            .redirectError(stderr.toFile());
    long start = System.nanoTime();
    Process p = pb.start();
    int rc = p.waitFor();
    long elapsed = System.nanoTime() - start;
    if (rc != 0) {
      throw new BenchException(String.join(" ", argv) + " exited " + rc + ": " + errorTail());
    }
    return elapsed;
  }

  /** Runs argv without timing and ignores its exit code (cleanup paths). */
  void runQuietly(List<String> argv) {
    try {
      new ProcessBuilder(argv)
          .redirectInput(DEV_NULL)
          .redirectOutput(stdout.toFile())
          .redirectError(stderr.toFile())
          .start()
          .waitFor();
    } catch (IOException e) {
      System.err.println("bench: cleanup command failed: " + argv + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The standard output of the last command. */
  String output() throws IOException {
    return Files.readString(stdout, StandardCharsets.UTF_8);
  }

  private String errorTail() throws IOException {
    String err = Files.readString(stderr, StandardCharsets.UTF_8).strip();
    return err.length() <= ERROR_TAIL ? err : "…" + err.substring(err.length() - ERROR_TAIL);
  }
}
