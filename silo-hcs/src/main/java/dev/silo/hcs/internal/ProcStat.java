package dev.silo.hcs.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * One line of {@code /proc/<pid>/stat}: enough to tell whether a recorded pid is still our process.
 */
public record ProcStat(int pid, char state, int ppid, long startTime, long utime, long stime) {

  /** Reads {@code /proc/<pid>/stat}; null when the process does not exist. */
  public static @Nullable ProcStat read(int pid) {
    if (pid <= 0) {
      return null;
    }
    String line;
    try {
      line = Files.readString(Path.of("/proc/" + pid + "/stat"));
    } catch (IOException e) {
      return null;
    }
    // comm (field 2) is in parentheses and may contain spaces or ')': split after the last ')'.
    int close = line.lastIndexOf(')');
    String[] f = line.substring(close + 2).trim().split(" ");
    // f[0] = field 3 (state); field N is f[N-3].
    return new ProcStat(
        pid,
        f[0].charAt(0),
        Integer.parseInt(f[1]),
        Long.parseLong(f[19]),
        Long.parseLong(f[11]),
        Long.parseLong(f[12]));
  }

  /**
   * Whether {@code pid} is alive (not a zombie) and is the process that started at {@code
   * startTime}.
   */
  public static boolean isAlive(int pid, long startTime) {
    ProcStat s = read(pid);
    return s != null && s.startTime == startTime && s.state != 'Z' && s.state != 'X';
  }
}
