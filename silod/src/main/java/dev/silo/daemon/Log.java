package dev.silo.daemon;

import java.io.PrintStream;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/** dockerd-style log lines on stderr ({@code time="…" level=info msg="…"}), filtered by level. */
public final class Log {
  /** The levels of {@code --log-level}, lowest first. */
  public static final List<String> LEVELS = List.of("debug", "info", "warn", "error", "fatal");

  private final int threshold;
  private final PrintStream out;

  public Log(String level, PrintStream out) {
    int t = LEVELS.indexOf(level.toLowerCase(Locale.ROOT));
    if (t < 0) {
      throw new IllegalArgumentException(
          "unable to parse logging level: " + level + " (debug, info, warn, error, fatal)");
    }
    this.threshold = t;
    this.out = out;
  }

  public void debug(String msg) {
    log(0, msg);
  }

  public void info(String msg) {
    log(1, msg);
  }

  public void warn(String msg) {
    log(2, msg);
  }

  public void error(String msg) {
    log(3, msg);
  }

  private void log(int level, String msg) {
    if (level >= threshold) {
      out.println(
          "time=\""
              + Instant.now()
              + "\" level="
              + LEVELS.get(level)
              + " msg=\""
              + msg.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n")
              + "\"");
    }
  }
}
