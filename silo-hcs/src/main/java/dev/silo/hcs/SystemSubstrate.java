package dev.silo.hcs;

import dev.silo.api.ComputeProcess;
import dev.silo.api.HcsException;
import dev.silo.schema.hcs.ProcessParameters;
import dev.silo.schema.hcs.ProcessStatus;
import dev.silo.schema.hcs.Properties;
import dev.silo.schema.hcs.State;
import dev.silo.schema.oci.LinuxResources;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * What the HCS handle API needs from the machine, one call per kernel-facing step, so that the
 * state machine and its events can be tested against a fake.
 */
interface SystemSubstrate {
  /** The live state; SYSTEM_NOT_FOUND for an unknown id. */
  State state(String id) throws HcsException;

  /** The directory holding the system's state (and its {@link ExitRecord}). */
  Path stateDir(String id);

  void start(String id) throws HcsException;

  void pause(String id) throws HcsException;

  void resume(String id) throws HcsException;

  /** Signals the system's init only; false when it has already gone. */
  boolean signalInit(String id, int signal) throws HcsException;

  /** SIGKILL to every process of the system, thawing it if frozen; the state stays. */
  void killAll(String id) throws HcsException;

  /** Id, State, Statistics and ProcessList of the system. */
  Properties properties(String id) throws HcsException;

  void update(String id, LinuxResources resources) throws HcsException;

  /** Removes everything of a system: processes, cgroup, mounts, state. */
  void remove(String id) throws HcsException;

  List<String> ids() throws HcsException;

  /** Calls {@code onExit} once, from another thread, when the system's init has exited. */
  AutoCloseable watchExit(String id, Runnable onExit) throws HcsException;

  /** Starts a process; {@code onExit} gets its status once, when it exits. */
  ComputeProcess createProcess(String id, ProcessParameters p, Consumer<ProcessStatus> onExit)
      throws HcsException;

  /** A handle on a process already in the system. */
  ComputeProcess openProcess(String id, int pid, Consumer<ProcessStatus> onExit)
      throws HcsException;
}
