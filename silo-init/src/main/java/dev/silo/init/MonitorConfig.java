package dev.silo.init;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The contract of {@code silo-monitor} (docs/monitor.md), the per-container monitor of daemon mode
 * that conmon is to podman: where its files go, how the json-file log rotates, and whether the
 * container gets a terminal or an open stdin.
 *
 * @param stateDir the container's state directory; the monitor runs in it and writes {@link
 *     #MONITOR_PID}, {@link #INIT_PID}, {@link #EXIT_FILE} and {@link #ATTACH_SOCKET} there
 * @param logFile the json-file log ({@code <file>.1} … are its rotated predecessors)
 * @param logMaxSize bytes after which the log rotates; 0 never rotates
 * @param logMaxFiles files kept, the live one included (at least 1; 1 truncates instead)
 * @param tty the container has a pty: the monitor receives its master on {@link #consoleSocket()}
 * @param openStdin the container's stdin is a pipe that attach clients write to (else /dev/null)
 */
public record MonitorConfig(
    Path stateDir, Path logFile, long logMaxSize, int logMaxFiles, boolean tty, boolean openStdin) {
  public static final String MONITOR_PID = "monitor.pid";
  public static final String INIT_PID = "init.pid";
  public static final String EXIT_FILE = "exit.json";
  public static final String ATTACH_SOCKET = "attach.sock";
  public static final String CONSOLE_SOCKET = "console.sock";

  /** The longest unix socket path (sun_path holds 108 bytes with its NUL). */
  public static final int MAX_SOCKET_PATH = 107;

  public MonitorConfig {
    stateDir = stateDir.toAbsolutePath();
    logFile = logFile.toAbsolutePath();
    if (logMaxSize < 0) {
      throw new IllegalArgumentException("log max-size must not be negative: " + logMaxSize);
    }
    if (logMaxFiles < 1) {
      throw new IllegalArgumentException("log max-file must be at least 1: " + logMaxFiles);
    }
  }

  /** Where the container's init sends its pty master (the plan's console socket). */
  public Path consoleSocket() {
    return stateDir.resolve(CONSOLE_SOCKET);
  }

  public Path attachSocket() {
    return stateDir.resolve(ATTACH_SOCKET);
  }

  /** The monitor's command line. */
  public List<String> argv(Path monitor, Path initHelper, int syncFd) {
    List<String> a = new ArrayList<>();
    a.add(monitor.toString());
    a.add("--sync-fd");
    a.add(Integer.toString(syncFd));
    a.add("--dir");
    a.add(stateDir.toString());
    a.add("--init");
    a.add(initHelper.toString());
    a.add("--log");
    a.add(logFile.toString());
    a.add("--log-max-size");
    a.add(Long.toString(logMaxSize));
    a.add("--log-max-file");
    a.add(Integer.toString(logMaxFiles));
    if (tty) {
      a.add("--tty");
    }
    if (openStdin) {
      a.add("--stdin");
    }
    return a;
  }
}
