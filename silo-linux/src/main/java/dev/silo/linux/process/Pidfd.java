package dev.silo.linux.process;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;

/**
 * A process file descriptor ({@code pidfd_open}): it names one process for good, so neither a wait
 * nor a signal can hit a recycled pid, and it works for processes that are not our children.
 */
public final class Pidfd implements AutoCloseable {
  private static final short POLLIN = 1;
  private static final int EINTR = 4;
  private static final int ESRCH = 3;

  private final int pid;
  private final int fd;
  private volatile boolean closed;

  private Pidfd(int pid, int fd) {
    this.pid = pid;
    this.fd = fd;
  }

  /** Opens a pidfd for {@code pid}; ESRCH when it is already gone. */
  public static Pidfd open(int pid) throws ErrnoException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = Libc.callState(arena);
      long fd = (long) Libc.SYSCALL3.invokeExact(state, Libc.SYS_PIDFD_OPEN, (long) pid, 0L);
      if (fd < 0) {
        throw new ErrnoException("pidfd_open", Libc.errno(state), "pid " + pid);
      }
      return new Pidfd(pid, (int) fd);
    } catch (ErrnoException e) {
      throw e;
    } catch (Throwable t) {
      throw Libc.failure("pidfd_open", t);
    }
  }

  public int pid() {
    return pid;
  }

  /** Polls the pidfd: true once the process has exited, false when {@code timeout} passed. */
  public boolean awaitExit(Duration timeout) throws ErrnoException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment pfd = arena.allocate(8);
      pfd.set(JAVA_INT, 0, fd);
      pfd.set(JAVA_SHORT, 4, POLLIN);
      MemorySegment state = Libc.callState(arena);
      int ms = (int) Math.min(Integer.MAX_VALUE, Math.max(0, timeout.toMillis()));
      while (true) {
        int rc = (int) Libc.POLL.invokeExact(state, pfd, 1L, ms);
        if (rc >= 0) {
          return rc > 0;
        }
        if (Libc.errno(state) != EINTR) {
          throw new ErrnoException("poll", Libc.errno(state), "pidfd of " + pid);
        }
      }
    } catch (ErrnoException e) {
      throw e;
    } catch (Throwable t) {
      throw Libc.failure("poll", t);
    }
  }

  /** {@code pidfd_send_signal}: false when the process has already exited (ESRCH). */
  public boolean sendSignal(int signal) throws ErrnoException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = Libc.callState(arena);
      long rc =
          (long)
              Libc.SYSCALL5.invokeExact(
                  state, Libc.SYS_PIDFD_SEND_SIGNAL, (long) fd, (long) signal, 0L, 0L);
      if (rc < 0) {
        int err = Libc.errno(state);
        if (err == ESRCH) {
          return false;
        }
        throw new ErrnoException("pidfd_send_signal", err, "pid " + pid);
      }
      return true;
    } catch (ErrnoException e) {
      throw e;
    } catch (Throwable t) {
      throw Libc.failure("pidfd_send_signal", t);
    }
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      Fds.close(fd);
    }
  }
}
