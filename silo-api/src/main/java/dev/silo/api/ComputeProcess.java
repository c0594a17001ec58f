package dev.silo.api;

import dev.silo.schema.hcs.ProcessStatus;
import dev.silo.schema.hcs.SignalProcessOptions;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * A handle on a process in a compute system ({@code HCS_PROCESS}; hcsshim {@code hcs.Process}):
 * Running → Exited, after which signals fail with {@link HResult#HCS_E_PROCESS_ALREADY_STOPPED}.
 */
public interface ComputeProcess extends AutoCloseable {
  /** The process id as the host sees it. */
  int pid();

  /** The write end of its stdin (CreateStdInPipe, or the console with EmulateConsole). */
  @Nullable OutputStream stdin();

  /** Its stdout (CreateStdOutPipe, or the console output with EmulateConsole). */
  @Nullable InputStream stdout();

  /** Its stderr (CreateStdErrPipe; never with EmulateConsole). */
  @Nullable InputStream stderr();

  /** {@code HcsSignalProcess} with a Linux signal number (the LCOW form). */
  void signal(int signal) throws HcsException;

  /** {@code HcsSignalProcess}: CtrlC → SIGINT, CtrlBreak → SIGQUIT, the rest → SIGTERM. */
  void signal(SignalProcessOptions options) throws HcsException;

  /** {@code HcsTerminateProcess}: SIGKILL. */
  void terminate() throws HcsException;

  /** {@code HcsModifyProcess} ConsoleSize: the pty's window, in character cells. */
  void resizeConsole(int height, int width) throws HcsException;

  /** {@code HcsModifyProcess} CloseHandle StdIn: the process reads EOF. */
  void closeStdin() throws HcsException;

  /**
   * {@code HcsWaitForProcessExit}: the status once exited; {@link HResult#HCS_E_OPERATION_TIMEOUT}
   * if it still runs after {@code timeout}.
   */
  ProcessStatus waitForExit(Duration timeout) throws HcsException;

  /** {@code HcsCloseProcess}: releases the handle and its streams; the process keeps running. */
  @Override
  void close();
}
