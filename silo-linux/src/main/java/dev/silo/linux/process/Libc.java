package dev.silo.linux.process;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The libc downcalls of this package, each capturing errno. Handles are built lazily per holder
 * class so a caller pays only for what it uses.
 */
final class Libc {
  static final Linker LINKER = Linker.nativeLinker();
  static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
  private static final VarHandle ERRNO =
      CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

  static final long SYS_PIDFD_SEND_SIGNAL = 424;
  static final long SYS_PIDFD_OPEN = 434;

  static final MethodHandle SYSCALL3 =
      capturing("syscall", FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG), 1);
  static final MethodHandle SYSCALL5 =
      capturing(
          "syscall",
          FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG),
          1);
  static final MethodHandle POLL =
      capturing("poll", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT), -1);
  static final MethodHandle PIPE2 =
      capturing("pipe2", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT), -1);
  static final MethodHandle CLOSE =
      capturing("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT), -1);
  static final MethodHandle READ =
      capturing("read", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG), -1);
  static final MethodHandle WRITE =
      capturing("write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG), -1);
  static final MethodHandle IOCTL_PTR =
      capturing("ioctl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS), 2);

  private Libc() {}

  /** A downcall that records errno; {@code firstVariadic} ≥ 0 marks a variadic C function. */
  static MethodHandle capturing(String name, FunctionDescriptor fd, int firstVariadic) {
    MemorySegment fn = LINKER.defaultLookup().find(name).orElseThrow();
    Linker.Option capture = Linker.Option.captureCallState("errno");
    return firstVariadic < 0
        ? LINKER.downcallHandle(fn, fd, capture)
        : LINKER.downcallHandle(fn, fd, capture, Linker.Option.firstVariadicArg(firstVariadic));
  }

  /** A downcall without errno (functions that return the error number themselves). */
  static MethodHandle plain(String name, FunctionDescriptor fd) {
    return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), fd);
  }

  static MemorySegment callState(Arena arena) {
    return arena.allocate(CALL_STATE);
  }

  static int errno(MemorySegment state) {
    return (int) ERRNO.get(state, 0L);
  }

  /** Wraps what a downcall may throw (only linkage errors) as an unchecked error. */
  static IllegalStateException failure(String call, Throwable t) {
    if (t instanceof RuntimeException r) {
      throw r;
    }
    if (t instanceof Error e) {
      throw e;
    }
    return new IllegalStateException(call + " failed", t);
  }
}
