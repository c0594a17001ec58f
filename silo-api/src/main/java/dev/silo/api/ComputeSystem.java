package dev.silo.api;

import dev.silo.schema.hcs.ModifySettingRequest;
import dev.silo.schema.hcs.ProcessParameters;
import dev.silo.schema.hcs.Properties;
import dev.silo.schema.hcs.PropertyQuery;
import dev.silo.schema.hcs.ShutdownOptions;
import dev.silo.schema.hcs.SystemExitStatus;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * A handle on a compute system ({@code HCS_SYSTEM}; hcsshim {@code hcs.System}): Created → Running
 * ⇄ Paused → Stopped, every other transition failing with {@link HResult#HCS_E_INVALID_STATE}.
 */
public interface ComputeSystem extends AutoCloseable {
  /** How long {@link #shutdown(ShutdownOptions)} waits before it terminates. */
  Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(10);

  String id();

  /** {@code HcsStartComputeSystem}: Created → Running; emits {@link HcsEvent.StartCompleted}. */
  void start() throws HcsException;

  /**
   * {@code HcsShutDownComputeSystem}: asks the system to stop and waits the default grace period;
   * {@code Force} in the options terminates at once.
   */
  void shutdown(@Nullable ShutdownOptions options) throws HcsException;

  /**
   * Graceful stop: asks the init to exit, waits up to {@code grace}, then terminates. Ends in
   * Stopped with ExitType GracefulExit (or ForcedExit when the grace ran out).
   */
  void shutdown(Duration grace) throws HcsException;

  /** {@code HcsTerminateComputeSystem}: kills every process; Stopped with ExitType ForcedExit. */
  void terminate() throws HcsException;

  /** {@code HcsPauseComputeSystem}: Running → Paused; emits {@link HcsEvent.PauseCompleted}. */
  void pause() throws HcsException;

  /** {@code HcsResumeComputeSystem}: Paused → Running; emits {@link HcsEvent.ResumeCompleted}. */
  void resume() throws HcsException;

  /** {@code HcsGetComputeSystemProperties}: Id, State, ExitType and the groups asked for. */
  Properties properties(PropertyQuery query) throws HcsException;

  /** {@code HcsModifyComputeSystem}: changes one resource of a live system. */
  void modify(ModifySettingRequest request) throws HcsException;

  /** {@code HcsCreateProcess}: starts a process in the running system. */
  ComputeProcess createProcess(ProcessParameters parameters) throws HcsException;

  /** {@code HcsOpenProcess}: a handle (without stdio) on a process of the system. */
  ComputeProcess openProcess(int pid) throws HcsException;

  /**
   * {@code HcsWaitForComputeSystemExit}: the exit status once Stopped; {@link
   * HResult#HCS_E_OPERATION_TIMEOUT} if it still runs after {@code timeout}.
   */
  SystemExitStatus waitForExit(Duration timeout) throws HcsException;

  /** {@code HcsSetComputeSystemCallback}: events of this system, in the order they happen. */
  void onEvent(HcsEventListener listener);

  /**
   * {@code HcsCloseComputeSystem}: releases this handle; the last one of the service that created
   * the system terminates it if the document asked for ShouldTerminateOnLastHandleClosed, and a
   * stopped system is then removed.
   */
  @Override
  void close() throws HcsException;
}
