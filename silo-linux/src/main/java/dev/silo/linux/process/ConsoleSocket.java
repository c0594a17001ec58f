package dev.silo.linux.process;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A listening {@code AF_UNIX} socket that receives a pty master with {@code SCM_RIGHTS}: the
 * receiving side of runc's {@code --console-socket}, which plain Java cannot be.
 */
public final class ConsoleSocket implements AutoCloseable {
  private static final int AF_UNIX = 1;
  private static final int SOCK_STREAM = 1;
  private static final int SOCK_CLOEXEC = 0x80000;
  private static final int MSG_CMSG_CLOEXEC = 0x40000000;
  private static final int SOL_SOCKET = 1;
  private static final int SCM_RIGHTS = 1;
  private static final int SUN_PATH = 108;

  private static final MethodHandle SOCKET =
      Libc.capturing("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT), -1);
  private static final MethodHandle BIND =
      Libc.capturing("bind", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), -1);
  private static final MethodHandle LISTEN =
      Libc.capturing("listen", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), -1);
  private static final MethodHandle ACCEPT4 =
      Libc.capturing(
          "accept4", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT), -1);
  private static final MethodHandle RECVMSG =
      Libc.capturing("recvmsg", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT), -1);

  private final Path path;
  private final int fd;

  private ConsoleSocket(Path path, int fd) {
    this.path = path;
    this.fd = fd;
  }

  /** Binds and listens at {@code path} (which must not exist; at most 107 bytes). */
  public static ConsoleSocket listen(Path path) throws ErrnoException {
    byte[] name = path.toString().getBytes(StandardCharsets.UTF_8);
    if (name.length >= SUN_PATH) {
      throw new ErrnoException("bind", 36, path.toString()); // ENAMETOOLONG
    }
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = Libc.callState(arena);
      int s = (int) SOCKET.invokeExact(state, AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
      if (s < 0) {
        throw new ErrnoException("socket", Libc.errno(state), "AF_UNIX");
      }
      MemorySegment addr = arena.allocate(2 + SUN_PATH);
      addr.set(JAVA_SHORT, 0, (short) AF_UNIX);
      MemorySegment.copy(name, 0, addr, JAVA_BYTE, 2, name.length);
      int rc = (int) BIND.invokeExact(state, s, addr, 2 + SUN_PATH);
      if (rc == 0) {
        rc = (int) LISTEN.invokeExact(state, s, 1);
      }
      if (rc < 0) {
        int err = Libc.errno(state);
        Fds.close(s);
        throw new ErrnoException("bind", err, path.toString());
      }
      return new ConsoleSocket(path, s);
    } catch (ErrnoException e) {
      throw e;
    } catch (Throwable t) {
      throw Libc.failure("socket", t);
    }
  }

  public Path path() {
    return path;
  }

  /** Accepts one connection within {@code timeout} and receives the fd it sends (close-on-exec). */
  public int receiveFd(Duration timeout) throws ErrnoException {
    if (!readable(fd, timeout)) {
      throw new ErrnoException("accept", 110, path + " (nobody connected in " + timeout + ")");
    }
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = Libc.callState(arena);
      int conn =
          (int)
              ACCEPT4.invokeExact(state, fd, MemorySegment.NULL, MemorySegment.NULL, SOCK_CLOEXEC);
      if (conn < 0) {
        throw new ErrnoException("accept4", Libc.errno(state), path.toString());
      }
      try {
        return receive(arena, conn);
      } finally {
        Fds.close(conn);
      }
    } catch (ErrnoException e) {
      throw e;
    } catch (Throwable t) {
      throw Libc.failure("accept4", t);
    }
  }

  private int receive(Arena arena, int conn) throws Throwable {
    MemorySegment data = arena.allocate(256);
    MemorySegment iov = arena.allocate(16, 8);
    iov.set(ADDRESS, 0, data);
    iov.set(JAVA_LONG, 8, 256L);
    MemorySegment control = arena.allocate(64, 8); // CMSG_SPACE(sizeof(int)) = 24
    MemorySegment msg = arena.allocate(56, 8); // struct msghdr on x86_64 / aarch64
    msg.set(ADDRESS, 16, iov);
    msg.set(JAVA_LONG, 24, 1L);
    msg.set(ADDRESS, 32, control);
    msg.set(JAVA_LONG, 40, 64L);
    MemorySegment state = Libc.callState(arena);
    long n;
    do {
      n = (long) RECVMSG.invokeExact(state, conn, msg, MSG_CMSG_CLOEXEC);
    } while (n < 0 && Libc.errno(state) == 4);
    if (n < 0) {
      throw new ErrnoException("recvmsg", Libc.errno(state), path.toString());
    }
    long controlLen = msg.get(JAVA_LONG, 40);
    if (controlLen < 20
        || control.get(JAVA_INT, 8) != SOL_SOCKET
        || control.get(JAVA_INT, 12) != SCM_RIGHTS) {
      throw new ErrnoException("recvmsg", 22, path + " (no SCM_RIGHTS fd in the message)");
    }
    return control.get(JAVA_INT, 16);
  }

  static boolean readable(int fd, Duration timeout) throws ErrnoException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment pfd = arena.allocate(8);
      pfd.set(JAVA_INT, 0, fd);
      pfd.set(JAVA_SHORT, 4, (short) 1);
      MemorySegment state = Libc.callState(arena);
      int rc = (int) Libc.POLL.invokeExact(state, pfd, 1L, (int) timeout.toMillis());
      if (rc < 0) {
        throw new ErrnoException("poll", Libc.errno(state), "fd " + fd);
      }
      return rc > 0;
    } catch (ErrnoException e) {
      throw e;
    } catch (Throwable t) {
      throw Libc.failure("poll", t);
    }
  }

  /** Closes the socket and removes its path. */
  @Override
  public void close() {
    Fds.close(fd);
    try {
      Files.deleteIfExists(path);
    } catch (java.io.IOException e) {
      // The socket file lives in a directory the caller removes anyway.
    }
  }
}
