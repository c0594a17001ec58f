package dev.silo.linux.process;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * {@code posix_spawn} of a helper with chosen stdio and one end of a SEQPACKET socketpair at a
 * given fd: the JNI launcher's spawn, for callers (the HCS API) that hand a process pipes or a pty
 * instead of their own stdio.
 */
public final class Spawner {
  private static final int AF_UNIX = 1;
  private static final int SOCK_SEQPACKET = 5;
  private static final int SOCK_CLOEXEC = 0x80000;
  private static final int F_DUPFD_CLOEXEC = 1030;
  private static final short SETSIGDEF = 0x04;
  private static final short SETSIGMASK = 0x08;

  /** Generous sizes for glibc's opaque structs (x86_64: 80, 336 and 128 bytes). */
  private static final long OPAQUE = 1024;

  private static final MethodHandle SOCKETPAIR =
      Libc.capturing(
          "socketpair", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS), -1);
  private static final MethodHandle FCNTL =
      Libc.capturing("fcntl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT), 2);
  private static final MethodHandle FA_INIT =
      Libc.plain("posix_spawn_file_actions_init", FunctionDescriptor.of(JAVA_INT, ADDRESS));
  private static final MethodHandle FA_DUP2 =
      Libc.plain(
          "posix_spawn_file_actions_adddup2",
          FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
  private static final MethodHandle FA_CLOSEFROM =
      Libc.plain(
          "posix_spawn_file_actions_addclosefrom_np",
          FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
  private static final MethodHandle FA_DESTROY =
      Libc.plain("posix_spawn_file_actions_destroy", FunctionDescriptor.of(JAVA_INT, ADDRESS));
  private static final MethodHandle ATTR_INIT =
      Libc.plain("posix_spawnattr_init", FunctionDescriptor.of(JAVA_INT, ADDRESS));
  private static final MethodHandle ATTR_DESTROY =
      Libc.plain("posix_spawnattr_destroy", FunctionDescriptor.of(JAVA_INT, ADDRESS));
  private static final MethodHandle ATTR_SIGMASK =
      Libc.plain("posix_spawnattr_setsigmask", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
  private static final MethodHandle ATTR_SIGDEFAULT =
      Libc.plain(
          "posix_spawnattr_setsigdefault", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
  private static final MethodHandle ATTR_FLAGS =
      Libc.plain("posix_spawnattr_setflags", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_SHORT));
  private static final MethodHandle SIGEMPTYSET =
      Libc.plain("sigemptyset", FunctionDescriptor.of(JAVA_INT, ADDRESS));
  private static final MethodHandle SIGFILLSET =
      Libc.plain("sigfillset", FunctionDescriptor.of(JAVA_INT, ADDRESS));
  private static final MethodHandle POSIX_SPAWN =
      Libc.plain(
          "posix_spawn",
          FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS));

  private Spawner() {}

  /** A spawned helper: its pid and our end of the socketpair (close-on-exec). */
  public record Spawned(int pid, int socket) {}

  /**
   * Spawns {@code argv[0]} with {@code stdio[i]} as fd i (a negative entry keeps ours) and the
   * other end of a new socketpair at {@code syncFd}; the child starts with no blocked or ignored
   * signals, since the JVM blocks some in its threads. Every fd above {@code syncFd} is closed in
   * the child: the JDK and Netty open theirs without close-on-exec, and a helper that outlives this
   * process (the parent of an exec'd process) must not keep a daemon's listening socket answering
   * after the daemon died, nor its files open. Fds 3 … syncFd-1 (preserved fds) are passed on.
   */
  public static Spawned spawn(String[] argv, int syncFd, int[] stdio) throws ErrnoException {
    int[] sv = socketpair();
    try (Arena arena = Arena.ofConfined()) {
      if (sv[1] == syncFd) { // dup2(fd, fd) would leave CLOEXEC set
        int moved = dupAbove(arena, sv[1], syncFd + 1);
        Fds.close(sv[1]);
        sv[1] = moved;
      }
      MemorySegment fa = arena.allocate(OPAQUE, 16);
      MemorySegment attr = arena.allocate(OPAQUE, 16);
      int rc = (int) FA_INIT.invokeExact(fa);
      rc |= (int) ATTR_INIT.invokeExact(attr);
      for (int i = 0; i < stdio.length; i++) {
        if (stdio[i] >= 0) {
          rc |= (int) FA_DUP2.invokeExact(fa, stdio[i], i);
        }
      }
      rc |= (int) FA_DUP2.invokeExact(fa, sv[1], syncFd);
      rc |= (int) FA_CLOSEFROM.invokeExact(fa, syncFd + 1);
      rc |= signalsReset(arena, attr);
      MemorySegment pid = arena.allocate(JAVA_INT);
      int err =
          rc != 0
              ? 12
              : (int)
                  POSIX_SPAWN.invokeExact(
                      pid,
                      arena.allocateFrom(argv[0]),
                      fa,
                      attr,
                      strings(arena, argv),
                      strings(arena, new String[0]));
      int ignored = (int) FA_DESTROY.invokeExact(fa);
      ignored |= (int) ATTR_DESTROY.invokeExact(attr);
      Fds.close(sv[1]);
      if (err != 0) {
        Fds.close(sv[0]);
        throw new ErrnoException("posix_spawn", err, argv[0]);
      }
      return new Spawned(pid.get(JAVA_INT, 0), sv[0]);
    } catch (ErrnoException e) {
      throw e;
    } catch (Throwable t) {
      throw Libc.failure("posix_spawn", t);
    }
  }

  private static int signalsReset(Arena arena, MemorySegment attr) throws Throwable {
    MemorySegment none = arena.allocate(OPAQUE, 16);
    MemorySegment all = arena.allocate(OPAQUE, 16);
    int rc = (int) SIGEMPTYSET.invokeExact(none);
    rc |= (int) SIGFILLSET.invokeExact(all);
    rc |= (int) ATTR_SIGMASK.invokeExact(attr, none);
    rc |= (int) ATTR_SIGDEFAULT.invokeExact(attr, all);
    rc |= (int) ATTR_FLAGS.invokeExact(attr, (short) (SETSIGMASK | SETSIGDEF));
    return rc;
  }

  private static int[] socketpair() throws ErrnoException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment sv = arena.allocate(JAVA_INT, 2);
      MemorySegment state = Libc.callState(arena);
      int rc = (int) SOCKETPAIR.invokeExact(state, AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv);
      if (rc < 0) {
        throw new ErrnoException("socketpair", Libc.errno(state), "AF_UNIX");
      }
      return new int[] {sv.getAtIndex(JAVA_INT, 0), sv.getAtIndex(JAVA_INT, 1)};
    } catch (ErrnoException e) {
      throw e;
    } catch (Throwable t) {
      throw Libc.failure("socketpair", t);
    }
  }

  private static int dupAbove(Arena arena, int fd, int min) throws Throwable {
    MemorySegment state = Libc.callState(arena);
    int moved = (int) FCNTL.invokeExact(state, fd, F_DUPFD_CLOEXEC, min);
    if (moved < 0) {
      throw new ErrnoException("fcntl(F_DUPFD_CLOEXEC)", Libc.errno(state), "fd " + fd);
    }
    return moved;
  }

  /** A NULL-terminated {@code char *[]}. */
  private static MemorySegment strings(Arena arena, String[] values) {
    MemorySegment v = arena.allocate(ADDRESS, values.length + 1L);
    for (int i = 0; i < values.length; i++) {
      v.setAtIndex(ADDRESS, i, arena.allocateFrom(values[i]));
    }
    v.setAtIndex(ADDRESS, values.length, MemorySegment.NULL);
    return v;
  }
}
