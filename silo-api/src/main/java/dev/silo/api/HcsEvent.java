package dev.silo.api;

import dev.silo.schema.hcs.ProcessStatus;
import dev.silo.schema.hcs.SystemExitStatus;

/** An event of a compute system ({@code HCS_EVENT}), with its {@code HCS_EVENT_TYPE} code. */
public sealed interface HcsEvent {
  /** {@code HcsEventSystemExited}. */
  int SYSTEM_EXITED = 0x1;

  /** {@code HcsEventProcessExited}. */
  int PROCESS_EXITED = 0x10000;

  /** {@code HcsEventOperationCallback}: an asynchronous operation completed. */
  int OPERATION_CALLBACK = 0x1000000;

  /** The id of the compute system the event belongs to. */
  String systemId();

  /** The {@code HCS_EVENT_TYPE} of the event. */
  int type();

  /** The system stopped: its exit status carries the ExitType. */
  record SystemExited(String systemId, SystemExitStatus status) implements HcsEvent {
    @Override
    public int type() {
      return SYSTEM_EXITED;
    }
  }

  /** A process of the system exited. */
  record ProcessExited(String systemId, ProcessStatus status) implements HcsEvent {
    @Override
    public int type() {
      return PROCESS_EXITED;
    }
  }

  /** Start completed: the system is Running. */
  record StartCompleted(String systemId) implements HcsEvent {
    @Override
    public int type() {
      return OPERATION_CALLBACK;
    }
  }

  /** Pause completed: the system is Paused. */
  record PauseCompleted(String systemId) implements HcsEvent {
    @Override
    public int type() {
      return OPERATION_CALLBACK;
    }
  }

  /** Resume completed: the system is Running again. */
  record ResumeCompleted(String systemId) implements HcsEvent {
    @Override
    public int type() {
      return OPERATION_CALLBACK;
    }
  }
}
