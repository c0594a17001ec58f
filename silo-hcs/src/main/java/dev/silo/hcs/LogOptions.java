package dev.silo.hcs;

import java.util.Locale;
import java.util.Map;

/**
 * The json-file log driver's options, as Docker's {@code --log-opt max-size=10m --log-opt
 * max-file=3}: rotate after {@code maxSize} bytes (0 never), keep {@code maxFiles} files.
 */
public record LogOptions(long maxSize, int maxFiles) {
  /** Docker's default: one file that is never rotated. */
  public static final LogOptions DEFAULT = new LogOptions(0, 1);

  public LogOptions {
    if (maxSize < 0) {
      throw new IllegalArgumentException("max-size: must not be negative: " + maxSize);
    }
    if (maxFiles < 1) {
      throw new IllegalArgumentException("max-file: must be a positive number: " + maxFiles);
    }
    if (maxFiles > 1 && maxSize == 0) {
      // moby's json-file refuses the same combination
      throw new IllegalArgumentException("max-file cannot be set without max-size");
    }
  }

  /**
   * From a container's {@code LogConfig.Config} map; unknown keys are an error, as in Docker.
   *
   * @throws IllegalArgumentException naming the option and why
   */
  public static LogOptions parse(Map<String, String> opts) {
    long size = 0;
    int files = 1;
    boolean filesSet = false;
    for (Map.Entry<String, String> e : opts.entrySet()) {
      switch (e.getKey()) {
        case "max-size" -> size = parseSize(e.getValue());
        case "max-file" -> {
          files = parseFiles(e.getValue());
          filesSet = true;
        }
        default ->
            throw new IllegalArgumentException(
                "unknown log opt '" + e.getKey() + "' for json-file log driver");
      }
    }
    if (filesSet && files > 1 && size == 0) {
      throw new IllegalArgumentException("max-file cannot be set without max-size");
    }
    return new LogOptions(size, files);
  }

  /** Docker's units: a number with an optional k, m or g (powers of 1024), e.g. {@code 10m}. */
  static long parseSize(String s) {
    String v = s.strip().toLowerCase(Locale.ROOT);
    if (v.endsWith("b")) {
      v = v.substring(0, v.length() - 1);
    }
    long unit = 1;
    if (!v.isEmpty()) {
      char last = v.charAt(v.length() - 1);
      int shift =
          switch (last) {
            case 'k' -> 10;
            case 'm' -> 20;
            case 'g' -> 30;
            default -> 0;
          };
      if (shift > 0) {
        unit = 1L << shift;
        v = v.substring(0, v.length() - 1);
      }
    }
    try {
      long n = Long.parseLong(v);
      if (n < 0) {
        throw new NumberFormatException();
      }
      return Math.multiplyExact(n, unit);
    } catch (NumberFormatException | ArithmeticException e) {
      throw new IllegalArgumentException("max-size: invalid size: '" + s + "'", e);
    }
  }

  private static int parseFiles(String s) {
    try {
      int n = Integer.parseInt(s.strip());
      if (n < 1) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("max-file: must be a positive number: '" + s + "'", e);
    }
  }
}
