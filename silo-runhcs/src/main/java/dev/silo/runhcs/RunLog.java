package dev.silo.runhcs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import dev.silo.schema.json.Json;
import org.jspecify.annotations.Nullable;

/**
 * runc's {@code --log}/{@code --log-format}: containerd reads the last {@code level=error} line of
 * {@code log.json} and shows it to the user, so errors must land there in runc's JSON shape.
 */
final class RunLog {
  private final @Nullable Path file;
  private final boolean json;
  private final boolean debug;

  RunLog(@Nullable Path file, boolean json, boolean debug) {
    this.file = file;
    this.json = json;
    this.debug = debug;
  }

  void error(String msg) {
    write("error", msg);
  }

  void debug(String msg) {
    if (debug) {
      write("debug", msg);
    }
  }

  private void write(String level, String msg) {
    Path f = file;
    if (f == null) {
      return;
    }
    String time = Instant.now().toString();
    String line;
    if (json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("level", level);
      m.put("msg", msg);
      m.put("time", time);
      line = Json.write(m) + "\n";
    } else {
      line = "time=\"" + time + "\" level=" + level + " msg=" + Json.write(msg) + "\n";
    }
    try {
      Files.writeString(
          f, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      // The log is best effort: the error still reaches stderr and the exit code.
    }
  }
}
