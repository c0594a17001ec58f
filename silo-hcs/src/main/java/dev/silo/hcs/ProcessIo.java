package dev.silo.hcs;

import dev.silo.linux.process.ConsoleSocket;
import dev.silo.linux.process.ErrnoException;
import dev.silo.linux.process.FdInputStream;
import dev.silo.linux.process.FdOutputStream;
import dev.silo.linux.process.Fds;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The stdio of an HCS process: pipes for the Std*Pipe flags, or the pty master that the container
 * sends over a console socket for EmulateConsole. Stdio nobody asked for is not this JVM's: stdin
 * reads EOF and output is drained and dropped.
 */
final class ProcessIo implements AutoCloseable {
  private static final int EOT = 4;

  private final int[] childFds = {-1, -1, -1};
  private @Nullable OutputStream stdin;
  private @Nullable InputStream stdout;
  private @Nullable InputStream stderr;
  private @Nullable ConsoleSocket console;
  private @Nullable Path consoleDir;
  private int master = -1;

  private ProcessIo() {}

  /** Creates the pipes (and for a console the socket the pty master will come through). */
  static ProcessIo open(boolean emulateConsole, boolean in, boolean out, boolean err)
      throws IOException {
    ProcessIo io = new ProcessIo();
    try {
      int[] p = Fds.pipe();
      io.childFds[0] = p[0];
      if (in && !emulateConsole) {
        io.stdin = new FdOutputStream(p[1], true);
      } else {
        Fds.close(p[1]); // EOF at once
      }
      io.stdout = io.output(1, out && !emulateConsole);
      io.stderr = io.output(2, err && !emulateConsole);
      if (emulateConsole) {
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "silo-con");
        io.consoleDir = dir;
        io.console = ConsoleSocket.listen(dir.resolve("c.sock"));
      }
      return io;
    } catch (IOException | RuntimeException e) {
      io.close();
      throw e;
    }
  }

  private @Nullable InputStream output(int fd, boolean wanted) throws ErrnoException {
    int[] p = Fds.pipe();
    childFds[fd] = p[1];
    FdInputStream s = new FdInputStream(p[0]);
    if (wanted) {
      return s;
    }
    Thread t = new Thread(() -> drain(s), "hcs-drain");
    t.setDaemon(true);
    t.start();
    return null;
  }

  private static void drain(InputStream s) {
    try (s) {
      s.transferTo(OutputStream.nullOutputStream());
    } catch (IOException e) {
      // Nobody wanted this output.
    }
  }

  /** The fds the helper gets as 0, 1 and 2. */
  int[] childFds() {
    return childFds.clone();
  }

  @Nullable String consoleSocket() {
    ConsoleSocket c = console;
    return c == null ? null : c.path().toString();
  }

  /** The child has its copies: ours must go, or nobody would ever read EOF. */
  void childStarted() {
    for (int i = 0; i < 3; i++) {
      Fds.close(childFds[i]);
      childFds[i] = -1;
    }
  }

  /** Takes the pty master from the console socket; it is then stdin and stdout. */
  void receiveConsole(Duration timeout) throws ErrnoException {
    ConsoleSocket c = console;
    if (c == null) {
      return;
    }
    master = c.receiveFd(timeout);
    stdout = new FdInputStream(master);
    stdin = new FdOutputStream(master, false);
    closeConsoleSocket();
  }

  boolean hasConsole() {
    return master >= 0;
  }

  void resize(int height, int width) throws ErrnoException {
    Fds.setWindowSize(master, height, width);
  }

  @Nullable OutputStream stdin() {
    return stdin;
  }

  @Nullable InputStream stdout() {
    return stdout;
  }

  @Nullable InputStream stderr() {
    return stderr;
  }

  /** CloseHandle StdIn: EOF on a pipe; on a console the terminal's EOF character. */
  void closeStdin() throws IOException {
    OutputStream s = stdin;
    if (s == null) {
      return;
    }
    if (master >= 0) {
      s.write(EOT);
    } else {
      s.close();
    }
  }

  private void closeConsoleSocket() {
    ConsoleSocket c = console;
    console = null;
    if (c != null) {
      c.close();
    }
    Path dir = consoleDir;
    consoleDir = null;
    if (dir != null) {
      try {
        Files.deleteIfExists(dir);
      } catch (IOException e) {
        // An empty directory in /tmp is all that is left.
      }
    }
  }

  @Override
  public void close() {
    childStarted();
    closeConsoleSocket();
    for (AutoCloseable s : new AutoCloseable[] {stdin, stdout, stderr}) {
      if (s != null) {
        try {
          s.close();
        } catch (Exception e) {
          // Closing raw fds does not fail in a way the caller could act on.
        }
      }
    }
  }
}
