package dev.silo.linux.process;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** Raw file descriptors: pipes, close, and the window size of a pty master. */
public final class Fds {
  private static final int O_CLOEXEC = 0x80000;
  private static final int EINTR = 4;
  private static final long TIOCSWINSZ = 0x5414;

  private Fds() {}

  /**
   * {@code pipe2(O_CLOEXEC)}: {read end, write end}. Both are close-on-exec, so only a spawn that
   * dup2s one of them onto a child's stdio passes it on.
   */
  public static int[] pipe() throws ErrnoException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment fds = arena.allocate(JAVA_INT, 2);
      MemorySegment state = Libc.callState(arena);
      int rc = (int) Libc.PIPE2.invokeExact(state, fds, O_CLOEXEC);
      if (rc < 0) {
        throw new ErrnoException("pipe2", Libc.errno(state), "");
      }
      return new int[] {fds.getAtIndex(JAVA_INT, 0), fds.getAtIndex(JAVA_INT, 1)};
    } catch (ErrnoException e) {
      throw e;
    } catch (Throwable t) {
      throw Libc.failure("pipe2", t);
    }
  }

  /** {@code close(2)}, ignoring errors: the fd is gone either way on Linux. */
  public static void close(int fd) {
    if (fd < 0) {
      return;
    }
    try (Arena arena = Arena.ofConfined()) {
      int rc = (int) Libc.CLOSE.invokeExact(Libc.callState(arena), fd);
      assert rc == 0 || rc == -1;
    } catch (Throwable t) {
      throw Libc.failure("close", t);
    }
  }

  /** {@code TIOCSWINSZ}: sets the window size of a terminal (the kernel sends SIGWINCH). */
  public static void setWindowSize(int fd, int rows, int cols) throws ErrnoException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment ws = arena.allocate(JAVA_SHORT, 4);
      ws.setAtIndex(JAVA_SHORT, 0, (short) rows);
      ws.setAtIndex(JAVA_SHORT, 1, (short) cols);
      MemorySegment state = Libc.callState(arena);
      int rc = (int) Libc.IOCTL_PTR.invokeExact(state, fd, TIOCSWINSZ, ws);
      if (rc < 0) {
        throw new ErrnoException("ioctl(TIOCSWINSZ)", Libc.errno(state), "fd " + fd);
      }
    } catch (ErrnoException e) {
      throw e;
    } catch (Throwable t) {
      throw Libc.failure("ioctl", t);
    }
  }

  /** {@code read(2)} into {@code buf}, retried on EINTR: bytes read, 0 at EOF. */
  static int read(int fd, byte[] buf, int off, int len) throws ErrnoException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment seg = arena.allocate(Math.max(1, len));
      MemorySegment state = Libc.callState(arena);
      while (true) {
        long n = (long) Libc.READ.invokeExact(state, fd, seg, (long) len);
        if (n >= 0) {
          MemorySegment.copy(seg, JAVA_BYTE, 0, buf, off, (int) n);
          return (int) n;
        }
        int err = Libc.errno(state);
        if (err == 5) {
          return 0; // EIO: a pty master whose slave side has closed reads as EOF
        }
        if (err != EINTR) {
          throw new ErrnoException("read", err, "fd " + fd);
        }
      }
    } catch (ErrnoException e) {
      throw e;
    } catch (Throwable t) {
      throw Libc.failure("read", t);
    }
  }

  /** {@code write(2)} of all of {@code buf}, retried on EINTR and short writes. */
  static void write(int fd, byte[] buf, int off, int len) throws ErrnoException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment seg = arena.allocate(Math.max(1, len));
      MemorySegment.copy(buf, off, seg, JAVA_BYTE, 0, len);
      MemorySegment state = Libc.callState(arena);
      long done = 0;
      while (done < len) {
        long n = (long) Libc.WRITE.invokeExact(state, fd, seg.asSlice(done), (long) len - done);
        if (n < 0) {
          int err = Libc.errno(state);
          if (err != EINTR) {
            throw new ErrnoException("write", err, "fd " + fd);
          }
        } else {
          done += n;
        }
      }
    } catch (ErrnoException e) {
      throw e;
    } catch (Throwable t) {
      throw Libc.failure("write", t);
    }
  }
}
