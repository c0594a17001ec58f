package dev.silo.hcs;

import dev.silo.init.MonitorConfig;
import dev.silo.init.SiloInit;
import dev.silo.schema.json.Json;
import dev.silo.schema.json.JsonException;
import dev.silo.schema.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * What a {@code silo-monitor} leaves in a state directory (pid files, {@code exit.json}), read by
 * whoever comes later: a restarted daemon, delete, the rollback of a failed create.
 */
final class MonitorFiles {
  /** The json-file log is {@code <state dir>/<id>-json.log}, as Docker names it. */
  static final String LOG_SUFFIX = "-json.log";

  private static final long WAIT_MS = 10_000;

  private MonitorFiles() {}

  /** The recorded exit of a monitored container's init. */
  record Exit(int exitCode, int signal, String finishedAt) {}

  /** A pid file's pid, or -1 when it is missing or unreadable. */
  static int readPid(Path dir, String name) {
    Path f = dir.resolve(name);
    if (!Files.isRegularFile(f)) {
      return -1;
    }
    try {
      return Integer.parseInt(Files.readString(f).strip());
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
  }

  static @Nullable Exit readExit(Path dir) {
    Path f = dir.resolve(MonitorConfig.EXIT_FILE);
    if (!Files.isRegularFile(f)) {
      return null;
    }
    try {
      JsonObject o = Json.parseObject(Files.readString(f), MonitorConfig.EXIT_FILE);
      return new Exit(
          (int) o.longValue("ExitCode", -1),
          (int) o.longValue("Signal", 0),
          o.string("FinishedAt", ""));
    } catch (IOException | JsonException e) {
      return null; // written by temp + rename: a half file is never seen, a gone one is no exit
    }
  }

  /**
   * Whether {@code pid} is a live silo-monitor (not a zombie, and named so: a recycled pid is
   * another program).
   */
  static boolean alive(int pid) {
    if (pid <= 0) {
      return false;
    }
    String stat;
    try {
      stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    } catch (IOException e) {
      return false;
    }
    int open = stat.indexOf('(');
    int close = stat.lastIndexOf(')');
    if (open < 0 || close < open || close + 2 >= stat.length()) {
      return false;
    }
    char state = stat.charAt(close + 2);
    return stat.substring(open + 1, close).equals("silo-monitor") && state != 'Z' && state != 'X';
  }

  /** Waits (bounded) until the monitor is gone; whether it went. */
  static boolean awaitGone(int pid, long millis) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    while (alive(pid)) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
    }
    return true;
  }

  /** SIGKILLs a monitor and waits until it is gone; whether it went. */
  static boolean kill(int pid) {
    if (alive(pid)) {
      SiloInit.kill(pid, Signals.SIGKILL);
    }
    return awaitGone(pid, WAIT_MS);
  }

  /**
   * After its container was killed, the monitor records the exit and goes; one that does not within
   * the bound is killed, so that nothing writes into the state directory being removed.
   */
  static void settle(Path dir) {
    int pid = readPid(dir, MonitorConfig.MONITOR_PID);
    if (pid > 0 && !awaitGone(pid, WAIT_MS)) {
      kill(pid);
    }
  }
}
