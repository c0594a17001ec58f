package dev.silo.runhcs;

import dev.silo.schema.json.Json;
import dev.silo.schema.json.Rfc3339;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * runc's {@code --log}/{@code --log-format}: containerd reads the last {@code level=error} line of
 * {@code log.json} and shows it to the user, so errors must land there in runc's JSON shape.
 */
final class RunLog {
  private final @Nullable Path file;
  private final boolean json;
  private final boolean debug;
  private final java.io.PrintStream stderr;

  RunLog(@Nullable Path file, boolean json, boolean debug, java.io.PrintStream stderr) {
    this.file = file;
    this.json = json;
    this.debug = debug;
    this.stderr = stderr;
  }

  void error(String msg) {
    write("error", msg);
  }

  /** Warnings always reach the user: stderr, and the log file when there is one. */
  void warn(String msg) {
    stderr.println("runhcs: warning: " + msg);
    write("warning", msg);
  }

  /** With --debug: to the log file, or without one to stderr, as runc's logrus does. */
  void debug(String msg) {
    if (debug) {
      if (file == null) {
        stderr.println(format("debug", msg).stripTrailing());
      } else {
        write("debug", msg);
      }
    }
  }

  private String format(String level, String msg) {
    String time = Rfc3339.now();
    if (json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("level", level);
      m.put("msg", msg);
      m.put("time", time);
      return Json.write(m) + "\n";
    }
    return "time=\"" + time + "\" level=" + level + " msg=" + Json.write(msg) + "\n";
  }

  private void write(String level, String msg) {
    Path f = file;
    if (f == null) {
      return;
    }
    String line = format(level, msg);
    try {
      Files.writeString(
          f, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      // The log is best effort: the error still reaches stderr and the exit code.
    }
  }
}
