package dev.silo.bench;

import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * One runtime under test, given on the command line as {@code name=/abs/path}.
 *
 * @param name short label used in the table, the state directory and container ids
 * @param path absolute path of the runc-compatible binary
 */
public record RuntimeSpec(String name, Path path) {

  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_]{0,15}");

  /**
   * Validates the label (it ends up in container ids and file names) and that the path is absolute.
   */
  public RuntimeSpec {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("runtime name must match " + NAME + ": " + name);
    }
    if (!path.isAbsolute()) {
      throw new IllegalArgumentException("runtime path must be absolute: " + name + "=" + path);
    }
  }

  /** Parses {@code name=/abs/path}. */
  public static RuntimeSpec parse(String arg) {
    int eq = arg.indexOf('=');
    if (eq <= 0 || eq == arg.length() - 1) {
      throw new IllegalArgumentException("expected name=/abs/path, got: " + arg);
    }
    return new RuntimeSpec(arg.substring(0, eq), Path.of(arg.substring(eq + 1)));
  }

  /** The binary's file name, e.g. {@code crun}. */
  public String binaryName() {
    Path file = path.getFileName();
    return file == null ? "" : file.toString();
  }
}
