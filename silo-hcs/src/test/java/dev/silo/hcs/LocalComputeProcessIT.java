package dev.silo.hcs;

import static dev.silo.hcs.HcsFixture.TIMEOUT;
import static dev.silo.hcs.HcsFixture.assertHResult;
import static dev.silo.hcs.HcsProcesses.params;
import static org.assertj.core.api.Assertions.assertThat;

import dev.silo.api.ComputeProcess;
import dev.silo.api.ComputeSystem;
import dev.silo.api.HResult;
import dev.silo.api.HcsEvent;
import dev.silo.schema.hcs.ProcessParameters;
import dev.silo.schema.hcs.ProcessSignal;
import dev.silo.schema.hcs.ProcessStatus;
import dev.silo.schema.hcs.SignalProcessOptions;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Processes of a running busybox system on the real kernel: stdio pipes, a pty that follows
 * resizes, signals, terminate, wait and the ProcessExited event.
 */
class LocalComputeProcessIT {
  private static HcsFixture fx;

  private String id;
  private ComputeSystem cs;
  private int init;
  private final List<HcsEvent> events = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void fixture() throws Exception {
    fx = new HcsFixture();
  }

  @AfterAll
  static void cleanUp() throws Exception {
    if (fx != null) {
      fx.close();
    }
  }

  @BeforeEach
  void runningSystem() throws Exception {
    id = fx.newId();
    cs = fx.create(id, true, "sleep", "300");
    init = fx.service.state(id).pid();
    cs.onEvent(events::add);
    cs.start();
  }

  @AfterEach
  void closeSystem() throws Exception {
    cs.close(); // ShouldTerminateOnLastHandleClosed: the close terminates and removes it
    fx.assertGone(id, init);
  }

  @Test
  void stdoutPipeCarriesTheOutput() throws Exception {
    try (ComputeProcess p =
        cs.createProcess(params(List.of("echo", "hello"), false, true, false, false, List.of()))) {
      assertThat(p.stdin()).isNull();
      String out = new String(Objects.requireNonNull(p.stdout()).readAllBytes(), UTF8);
      assertThat(out).isEqualTo("hello\n");
      ProcessStatus s = p.waitForExit(TIMEOUT);
      assertThat(s.exited()).isTrue();
      assertThat(s.exitCode()).isZero();
      assertThat(s.processId()).isEqualTo(p.pid());
    }
    HcsFixture.poll(() -> !events.isEmpty() && last() instanceof HcsEvent.ProcessExited, "event");
  }

  @Test
  void stdinPipeEchoesThroughCatAndStderrIsSeparate() throws Exception {
    ProcessParameters cat =
        new ProcessParameters(
            null,
            "sh -c \"cat; echo oops >&2; exit 3\"",
            List.of(),
            null,
            "/tmp",
            Map.of("GREETING", "hi"),
            null,
            false,
            true,
            true,
            true,
            List.of(),
            null);
    try (ComputeProcess p = cs.createProcess(cat)) {
      OutputStream in = Objects.requireNonNull(p.stdin());
      in.write("ping\n".getBytes(UTF8));
      in.flush();
      p.closeStdin();
      assertThat(new String(Objects.requireNonNull(p.stdout()).readAllBytes(), UTF8))
          .isEqualTo("ping\n");
      assertThat(new String(Objects.requireNonNull(p.stderr()).readAllBytes(), UTF8))
          .isEqualTo("oops\n");
      assertThat(p.waitForExit(TIMEOUT).exitCode()).isEqualTo(3L);
    }
  }

  @Test
  void environmentAndWorkingDirectoryReachTheProcess() throws Exception {
    ProcessParameters sh =
        new ProcessParameters(
            null,
            null,
            List.of("sh", "-c", "echo $GREETING $(pwd) $(id -u)"),
            "1000",
            "/tmp",
            Map.of("GREETING", "hi"),
            null,
            false,
            false,
            true,
            false,
            List.of(),
            null);
    try (ComputeProcess p = cs.createProcess(sh)) {
      assertThat(new String(Objects.requireNonNull(p.stdout()).readAllBytes(), UTF8))
          .isEqualTo("hi /tmp 1000\n");
    }
  }

  @Test
  void aConsoleProcessSeesItsResizedWindow() throws Exception {
    try (ComputeProcess p =
        cs.createProcess(params(List.of("sh"), true, true, false, true, List.of(24, 80)))) {
      OutputStream in = Objects.requireNonNull(p.stdin());
      Collector out = new Collector(Objects.requireNonNull(p.stdout()));
      in.write("stty size\n".getBytes(UTF8));
      HcsFixture.poll(() -> out.text().contains("24 80"), "initial size 24 80");
      p.resizeConsole(30, 100);
      in.write("stty size; exit 0\n".getBytes(UTF8));
      HcsFixture.poll(() -> out.text().contains("30 100"), "resized 30 100: " + out.text());
      assertThat(p.waitForExit(TIMEOUT).exitCode()).isZero();
    }
  }

  @Test
  void signalsTerminateAndWait() throws Exception {
    ComputeProcess sleeper = cs.createProcess(HcsProcesses.args("sleep", "300"));
    assertHResult(
        () -> sleeper.waitForExit(java.time.Duration.ofMillis(100)),
        HResult.HCS_E_OPERATION_TIMEOUT);
    sleeper.signal(new SignalProcessOptions(ProcessSignal.CTRL_C));
    assertThat(sleeper.waitForExit(TIMEOUT).exitCode()).isEqualTo(128L + Signals.SIGINT);
    assertHResult(() -> sleeper.signal(Signals.SIGTERM), HResult.HCS_E_PROCESS_ALREADY_STOPPED);
    assertHResult(sleeper::terminate, HResult.HCS_E_PROCESS_ALREADY_STOPPED);
    sleeper.close();

    ComputeProcess doomed = cs.createProcess(HcsProcesses.args("sleep", "300"));
    try (ComputeProcess opened = cs.openProcess(doomed.pid())) {
      doomed.terminate();
      assertThat(doomed.waitForExit(TIMEOUT).exitCode()).isEqualTo(128L + Signals.SIGKILL);
      ProcessStatus seen = opened.waitForExit(TIMEOUT);
      assertThat(seen.exited()).isTrue();
      assertThat(seen.lastWaitResult()).isEqualTo(HResult.HCS_E_PROCESS_INFO_NOT_AVAILABLE.code());
    }
    doomed.close();
    assertHResult(() -> cs.openProcess(999_999), HResult.ERROR_NOT_FOUND);
  }

  private HcsEvent last() {
    return events.get(events.size() - 1);
  }

  private static final java.nio.charset.Charset UTF8 = StandardCharsets.UTF_8;

  /** Reads a stream on its own thread, so a test can poll what has arrived. */
  private static final class Collector {
    private final ByteArrayOutputStream buf = new ByteArrayOutputStream();

    Collector(InputStream in) {
      Thread t =
          new Thread(
              () -> {
                byte[] b = new byte[4096];
                try {
                  for (int n; (n = in.read(b)) > 0; ) {
                    synchronized (buf) {
                      buf.write(b, 0, n);
                    }
                  }
                } catch (java.io.IOException e) {
                  // The handle was closed.
                }
              });
      t.setDaemon(true);
      t.start();
    }

    String text() {
      synchronized (buf) {
        return buf.toString(UTF8);
      }
    }
  }
}
