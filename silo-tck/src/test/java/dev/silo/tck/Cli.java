package dev.silo.tck;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Runs the packaged {@code dist/bin/runhcs} and {@code dist/bin/hcsdiag} as a user (or containerd's
 * shim) does: a fresh process with an EMPTY environment, stdin from /dev/null, output captured with
 * a timeout.
 *
 * <p>Output goes to files, not pipes, because a detached container inherits runhcs's stdio: with
 * pipes the reader would wait for the container's end instead of runhcs's.
 */
final class Cli {
  static final long TIMEOUT_SECONDS = 30;

  private final Path dist;
  private final Path root;
  private final Path scratch;
  private final Map<String, String> env;
  private int calls;

  Cli(Path root, Path scratch) {
    this(root, scratch, Map.of());
  }

  private Cli(Path root, Path scratch, Map<String, String> env) {
    this.dist = dist();
    this.root = root;
    this.scratch = scratch;
    this.env = Map.copyOf(env);
  }

  /** The same CLI with these variables in every command's (otherwise empty) environment. */
  Cli withEnv(Map<String, String> vars) {
    return new Cli(root, scratch, vars);
  }

  /** {@code hnsdiag args...} exactly as given. */
  Result hnsdiag(String... args) {
    List<String> cmd = new ArrayList<>(List.of(dist.resolve("bin/hnsdiag").toString()));
    cmd.addAll(Arrays.asList(args));
    return exec(cmd, null);
  }

  /** The dist/ directory the failsafe run points at (system property {@code silo.dist}). */
  static Path dist() {
    String d = System.getProperty("silo.dist");
    if (d == null) {
      throw new AssertionError("system property silo.dist is not set (run through failsafe)");
    }
    Path p = Path.of(d).toAbsolutePath();
    assertThat(p.resolve("bin/runhcs")).as("dist/bin/runhcs (build dist first)").isExecutable();
    return p;
  }

  /** The repository root: dist/'s parent, where tools/ lives. */
  static Path repo() {
    return Objects.requireNonNull(dist().getParent(), "dist/ has a parent");
  }

  Path root() {
    return root;
  }

  /** {@code runhcs --root ROOT args...}. */
  Result runhcs(String... args) {
    List<String> cmd =
        new ArrayList<>(List.of(dist.resolve("bin/runhcs").toString(), "--root", root.toString()));
    cmd.addAll(Arrays.asList(args));
    return exec(cmd, null);
  }

  /** {@code runhcs args...} exactly as given (no --root added), from directory {@code cwd}. */
  Result runhcsRaw(Path cwd, String... args) {
    List<String> cmd = new ArrayList<>(List.of(dist.resolve("bin/runhcs").toString()));
    cmd.addAll(Arrays.asList(args));
    return exec(cmd, cwd);
  }

  /**
   * {@code hcsdiag SUBCOMMAND --root ROOT args...}: --root goes first so that a command after "--"
   * stays intact.
   */
  Result hcsdiag(String subcommand, String... args) {
    List<String> cmd =
        new ArrayList<>(
            List.of(dist.resolve("bin/hcsdiag").toString(), subcommand, "--root", root.toString()));
    cmd.addAll(Arrays.asList(args));
    return exec(cmd, null);
  }

  private synchronized Result exec(List<String> cmd, @Nullable Path cwd) {
    int n = calls++;
    File out = scratch.resolve("out-" + n).toFile();
    File err = scratch.resolve("err-" + n).toFile();
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .redirectInput(new File("/dev/null"))
            .redirectOutput(out)
            .redirectError(err);
    pb.environment()
        .clear(); // containerd's shim may call runhcs with nothing set: it must not need
    // PATH/HOME/…
    pb.environment().putAll(env);
    pb.directory(cwd == null ? scratch.toFile() : cwd.toFile());
    try {
      java.lang.Process p = pb.start();
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor();
        throw new AssertionError(
            "timed out after " + TIMEOUT_SECONDS + "s: " + String.join(" ", cmd));
      }
      return new Result(
          cmd, p.exitValue(), Files.readString(out.toPath()), Files.readString(err.toPath()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted: " + cmd, e);
    } finally {
      out.delete();
      err.delete();
    }
  }

  /** Exit code and output of one command. */
  record Result(List<String> cmd, int code, String out, String err) {
    /** Asserts exit 0 and returns this. */
    Result ok() {
      assertThat(code)
          .as("exit code of %s%nstdout: %s%nstderr: %s", String.join(" ", cmd), out, err)
          .isZero();
      return this;
    }

    /**
     * Asserts runc's failure exit code (1, or 255 for exec) and exactly one stderr line {@code
     * runhcs: …}; returns that line.
     */
    String failsWithOneLine() {
      int expected = cmd.contains("exec") ? 255 : 1;
      assertThat(code)
          .as("exit code of %s%nstdout: %s%nstderr: %s", String.join(" ", cmd), out, err)
          .isEqualTo(expected);
      List<String> lines = err.lines().toList();
      assertThat(lines).as("stderr of %s", String.join(" ", cmd)).hasSize(1);
      assertThat(lines.get(0)).startsWith("runhcs: ");
      return lines.get(0);
    }

    @Override
    public String toString() {
      return String.join(" ", cmd) + " -> " + code + "\nstdout: " + out + "\nstderr: " + err;
    }
  }
}
