package dev.silo.hcs;

import dev.silo.api.HResult;
import dev.silo.api.HcsException;
import dev.silo.schema.hcs.ExitType;
import dev.silo.schema.hcs.State;
import org.jspecify.annotations.Nullable;

/**
 * The HCS compute-system state machine (hcs.md §1.4) as a pure function: which call is valid in
 * which state, and the HRESULT of every other one.
 */
final class SystemStates {
  /** The compute-system calls the state machine rules on. */
  enum Call {
    START("start"),
    PAUSE("pause"),
    RESUME("resume"),
    SHUTDOWN("shutdown"),
    TERMINATE("terminate"),
    MODIFY("modify"),
    CREATE_PROCESS("create process");

    final String op;

    Call(String op) {
      this.op = op;
    }
  }

  private SystemStates() {}

  /** Throws the HRESULT HCS answers when {@code call} is made on a system in {@code state}. */
  static void check(Call call, State state, String id) throws HcsException {
    boolean ok =
        switch (call) {
          case START -> state == State.CREATED;
          case PAUSE -> state == State.RUNNING;
          case RESUME -> state == State.PAUSED;
          case SHUTDOWN, TERMINATE, MODIFY -> state != State.STOPPED;
          case CREATE_PROCESS -> state == State.RUNNING;
        };
    if (ok) {
      return;
    }
    if ((call == Call.SHUTDOWN || call == Call.TERMINATE) && state == State.STOPPED) {
      throw new HcsException(
          call.op, id, HResult.HCS_E_SYSTEM_ALREADY_STOPPED, "the system has already stopped");
    }
    throw new HcsException(
        call.op,
        id,
        HResult.HCS_E_INVALID_STATE,
        call.op + " is not valid while the system is " + state.wireName());
  }

  /**
   * The ExitType of a stop: what the host asked for (Shutdown → GracefulExit, Terminate →
   * ForcedExit), or UnexpectedExit when the init died on its own.
   */
  static ExitType exitType(@Nullable ExitType intent) {
    return intent == null ? ExitType.UNEXPECTED_EXIT : intent;
  }
}
