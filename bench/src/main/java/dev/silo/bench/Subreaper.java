package dev.silo.bench;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.OptionalInt;

/**
 * Makes the worker a child subreaper, as containerd's shim and conmon are, so that a detached
 * container's init is reparented to it when {@code create} exits and its exit can be awaited
 * exactly with {@code waitpid}.
 *
 * <p>FFM is used here, outside silo-linux, because the benchmark is a tool and must not depend on
 * the code it measures.
 */
final class Subreaper {

  private static final int PR_SET_CHILD_SUBREAPER = 36;

  private final MethodHandle waitpid;

  private Subreaper(MethodHandle waitpid) {
    this.waitpid = waitpid;
  }

  /** Calls {@code prctl(PR_SET_CHILD_SUBREAPER, 1)}; fails if the kernel refuses. */
  static Subreaper become() {
    Linker linker = Linker.nativeLinker();
    MethodHandle prctl =
        linker.downcallHandle(
            linker.defaultLookup().find("prctl").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG),
            Linker.Option.firstVariadicArg(1));
    MethodHandle waitpid =
        linker.downcallHandle(
            linker.defaultLookup().find("waitpid").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    int rc;
    try {
      rc = (int) prctl.invokeExact(PR_SET_CHILD_SUBREAPER, 1L);
    } catch (Throwable t) {
      throw new IllegalStateException("prctl(PR_SET_CHILD_SUBREAPER) failed", t);
    }
    if (rc != 0) {
      throw new IllegalStateException("prctl(PR_SET_CHILD_SUBREAPER) returned " + rc);
    }
    return new Subreaper(waitpid);
  }

  /**
   * Blocks in {@code waitpid(pid)} and returns the raw wait status, or empty when the pid is not
   * our child (a runtime that hands init to a daemon breaks the contract real callers rely on; see
   * clients.md §3).
   */
  OptionalInt await(int pid) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment status = arena.allocate(JAVA_INT);
      int rc;
      do {
        rc = (int) waitpid.invokeExact(pid, status, 0);
      } while (rc == -1 && isAlive(pid) && isChild(pid));
      return rc == pid ? OptionalInt.of(status.get(JAVA_INT, 0)) : OptionalInt.empty();
    } catch (Throwable t) {
      throw new IllegalStateException("waitpid(" + pid + ") failed", t);
    }
  }

  private static boolean isAlive(int pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  // An EINTR retry is only meaningful while the pid is still ours; anything else is ECHILD.
  private static boolean isChild(int pid) {
    return ProcessHandle.of(pid)
        .flatMap(ProcessHandle::parent)
        .map(parent -> parent.pid() == ProcessHandle.current().pid())
        .orElse(false);
  }
}
