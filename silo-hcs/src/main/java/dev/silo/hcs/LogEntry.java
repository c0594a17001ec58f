package dev.silo.hcs;

import dev.silo.schema.json.Json;
import dev.silo.schema.json.JsonException;
import dev.silo.schema.json.JsonObject;
import dev.silo.schema.json.Rfc3339;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * One line of Docker's json-file log: {@code {"log":"hi\n","stream":"stdout","time":"…"}}. The text
 * keeps its trailing newline; a line the writer had to split (over 16 KiB) has none.
 */
public record LogEntry(String log, String stream, Instant time) {
  public static final String STDOUT = "stdout";
  public static final String STDERR = "stderr";

  /**
   * Parses one line (without its newline).
   *
   * @throws IllegalArgumentException naming what is wrong with the line
   */
  public static LogEntry parse(String line) {
    JsonObject o;
    try {
      o = Json.parseObject(line, "log entry");
      String stream = o.string("stream");
      if (!stream.equals(STDOUT) && !stream.equals(STDERR)) {
        throw new IllegalArgumentException(
            "log entry: stream: must be stdout or stderr, got \"" + stream + "\"");
      }
      return new LogEntry(o.string("log"), stream, Instant.parse(o.string("time")));
    } catch (JsonException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("log entry: time: not RFC 3339: " + e.getMessage(), e);
    }
  }

  public boolean isStderr() {
    return stream.equals(STDERR);
  }

  /**
   * The line as {@code docker logs} prints it; with {@code -t} the time in front, always with nine
   * fraction digits (Docker's RFC3339NanoFixed).
   */
  public String render(boolean timestamps) {
    return timestamps ? fixedTime(time) + " " + log : log;
  }

  static String fixedTime(Instant t) {
    String whole = Rfc3339.format(Instant.ofEpochSecond(t.getEpochSecond()));
    String nanos = Integer.toString(t.getNano());
    return whole.substring(0, whole.length() - 1)
        + "."
        + "0".repeat(9 - nanos.length())
        + nanos
        + "Z";
  }
}
