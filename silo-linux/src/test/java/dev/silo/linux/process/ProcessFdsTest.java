package dev.silo.linux.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pipes, pidfds, spawn and the console socket through FFM, unprivileged. */
class ProcessFdsTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @Test
  void aPipeCarriesBytesAndClosingTheWriterIsEof() throws IOException {
    int[] p = Fds.pipe();
    try (FdInputStream in = new FdInputStream(p[0]);
        FdOutputStream out = new FdOutputStream(p[1], true)) {
      out.write("hello".getBytes(StandardCharsets.UTF_8));
      out.close();
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("hello");
    }
  }

  @Test
  void aPidfdSignalsAndSeesTheExitOfAProcess() throws Exception {
    Process sleeper = new ProcessBuilder("sleep", "300").start();
    try (Pidfd pidfd = Pidfd.open((int) sleeper.pid())) {
      assertThat(pidfd.awaitExit(Duration.ofMillis(20))).isFalse();
      assertThat(pidfd.sendSignal(9)).isTrue();
      assertThat(pidfd.awaitExit(WAIT)).isTrue();
      sleeper.waitFor();
      assertThat(pidfd.sendSignal(9)).as("reaped: ESRCH").isFalse();
    } finally {
      sleeper.destroyForcibly();
    }
  }

  @Test
  void spawnWiresStdioAndTheSyncSocket() throws Exception {
    int[] out = Fds.pipe();
    Spawner.Spawned s =
        Spawner.spawn(
            new String[] {"/bin/sh", "-c", "echo hi; test -S /proc/self/fd/3 && echo sock"},
            3,
            new int[] {-1, out[1], -1});
    Fds.close(out[1]);
    try (FdInputStream in = new FdInputStream(out[0])) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("hi\nsock\n");
    } finally {
      Fds.close(s.socket());
      try (Pidfd p = Pidfd.open(s.pid())) {
        p.awaitExit(WAIT);
      } catch (ErrnoException e) {
        // Already gone.
      }
    }
  }

  /**
   * A daemon's fds that are not close-on-exec (the JDK's and Netty's) must not outlive it in a
   * helper: the spawned process has none above the sync fd.
   */
  @Test
  void spawnClosesInheritedFdsAboveTheSyncFd() throws Throwable {
    int[] p = Fds.pipe();
    java.lang.invoke.MethodHandle fcntl =
        Libc.capturing(
            "fcntl",
            java.lang.foreign.FunctionDescriptor.of(
                java.lang.foreign.ValueLayout.JAVA_INT,
                java.lang.foreign.ValueLayout.JAVA_INT,
                java.lang.foreign.ValueLayout.JAVA_INT,
                java.lang.foreign.ValueLayout.JAVA_INT),
            2);
    int leak;
    try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
      leak = (int) fcntl.invokeExact(Libc.callState(arena), p[0], 0 /* F_DUPFD */, 200);
    }
    assertThat(leak).as("a dup without close-on-exec").isGreaterThanOrEqualTo(200);
    int[] out = Fds.pipe();
    Spawner.Spawned s =
        Spawner.spawn(
            new String[] {
              "/bin/sh", "-c", "test -e /proc/self/fd/" + leak + " && echo leaked || echo closed"
            },
            3,
            new int[] {-1, out[1], -1});
    Fds.close(out[1]);
    try (FdInputStream in = new FdInputStream(out[0])) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("closed\n");
    } finally {
      Fds.close(s.socket());
      Fds.close(leak);
      Fds.close(p[0]);
      Fds.close(p[1]);
      try (Pidfd pid = Pidfd.open(s.pid())) {
        pid.awaitExit(WAIT);
      } catch (ErrnoException e) {
        // Already gone.
      }
    }
  }

  @Test
  void aConsoleSocketThatNobodyConnectsToTimesOut(@TempDir Path dir) throws Exception {
    try (ConsoleSocket socket = ConsoleSocket.listen(dir.resolve("c.sock"))) {
      assertThat(dir.resolve("c.sock")).exists();
      try {
        socket.receiveFd(Duration.ofMillis(20));
        throw new AssertionError("expected a timeout");
      } catch (ErrnoException e) {
        assertThat(e.syscall()).isEqualTo("accept");
      }
    }
    assertThat(dir.resolve("c.sock")).doesNotExist();
  }
}
