package dev.silo.linux.net;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/** The few libc calls the network code needs, each returning -errno on failure (the kernel way). */
final class Libc {
  static final int CLONE_NEWNET = 0x40000000;
  static final int O_RDONLY = 0;
  static final int O_CLOEXEC = 0x80000;
  static final long MS_BIND = 4096;
  static final long MS_REC = 16384;
  static final long MS_SHARED = 1 << 20;
  static final int MNT_DETACH = 2;
  static final int EINVAL = 22;
  static final int EEXIST = 17;
  static final int ENODEV = 19;
  static final int ENOENT = 2;

  private static final Linker LINKER = Linker.nativeLinker();
  private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
  private static final VarHandle ERRNO =
      CAPTURE.varHandle(java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"));
  private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
  private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG;
  private static final java.lang.foreign.AddressLayout PTR = ValueLayout.ADDRESS;

  private static final MethodHandle SOCKET = errnoCall("socket", INT, INT, INT, INT);
  private static final MethodHandle BIND = errnoCall("bind", INT, INT, PTR, INT);
  private static final MethodHandle SETSOCKOPT =
      errnoCall("setsockopt", INT, INT, INT, INT, PTR, INT);
  private static final MethodHandle SEND = errnoCall("send", LONG, INT, PTR, LONG, INT);
  private static final MethodHandle RECV = errnoCall("recv", LONG, INT, PTR, LONG, INT);
  private static final MethodHandle CLOSE = errnoCall("close", INT, INT);
  private static final MethodHandle OPEN = errnoCall("open", INT, PTR, INT);
  private static final MethodHandle UNSHARE = errnoCall("unshare", INT, INT);
  private static final MethodHandle SETNS = errnoCall("setns", INT, INT, INT);
  private static final MethodHandle MOUNT = errnoCall("mount", INT, PTR, PTR, PTR, LONG, PTR);
  private static final MethodHandle UMOUNT2 = errnoCall("umount2", INT, PTR, INT);
  private static final MethodHandle STRERROR =
      LINKER.downcallHandle(
          LINKER.defaultLookup().find("strerror").orElseThrow(),
          FunctionDescriptor.of(PTR.withTargetLayout(ValueLayout.JAVA_BYTE), INT));

  private Libc() {}

  private static MethodHandle errnoCall(
      String name, java.lang.foreign.MemoryLayout ret, java.lang.foreign.MemoryLayout... args) {
    MemorySegment fn = LINKER.defaultLookup().find(name).orElseThrow();
    // captureCallState adds the capture segment as the handle's first argument
    return LINKER.downcallHandle(
        fn, FunctionDescriptor.of(ret, args), Linker.Option.captureCallState("errno"));
  }

  /** The C library's text for an errno, e.g. {@code File exists}. */
  static String strerror(int errno) {
    try {
      MemorySegment s = (MemorySegment) STRERROR.invokeExact(errno);
      return s.reinterpret(1024).getString(0);
    } catch (Throwable t) {
      throw new AssertionError(t);
    }
  }

  private static int errnoOr(MemorySegment state, long result) {
    return result < 0 ? -(int) ERRNO.get(state, 0L) : (int) result;
  }

  static int socket(int domain, int type, int protocol) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment st = a.allocate(CAPTURE);
      return errnoOr(st, (int) SOCKET.invokeExact(st, domain, type, protocol));
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  static int bind(int fd, MemorySegment addr) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment st = a.allocate(CAPTURE);
      return errnoOr(st, (int) BIND.invokeExact(st, fd, addr, (int) addr.byteSize()));
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  static int setsockoptInt(int fd, int level, int name, int value) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment st = a.allocate(CAPTURE);
      MemorySegment v = a.allocateFrom(INT, value);
      return errnoOr(st, (int) SETSOCKOPT.invokeExact(st, fd, level, name, v, 4));
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  /**
   * Sets a {@code struct timeval} option ({@code SO_RCVTIMEO}, {@code SO_SNDTIMEO}): a blocking
   * call on the socket then fails with EAGAIN after {@code millis} instead of waiting forever.
   */
  static int setsockoptTimeout(int fd, int level, int name, long millis) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment st = a.allocate(CAPTURE);
      MemorySegment tv = a.allocate(16, 8); // struct timeval: long tv_sec, long tv_usec
      tv.set(LONG, 0, millis / 1000);
      tv.set(LONG, 8, (millis % 1000) * 1000);
      return errnoOr(st, (int) SETSOCKOPT.invokeExact(st, fd, level, name, tv, 16));
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  static long send(int fd, MemorySegment buf, long len) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment st = a.allocate(CAPTURE);
      return errnoOr(st, (long) SEND.invokeExact(st, fd, buf, len, 0));
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  static long recv(int fd, MemorySegment buf, long len, int flags) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment st = a.allocate(CAPTURE);
      long n = (long) RECV.invokeExact(st, fd, buf, len, flags);
      return n < 0 ? -(int) ERRNO.get(st, 0L) : n;
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  static int close(int fd) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment st = a.allocate(CAPTURE);
      return errnoOr(st, (int) CLOSE.invokeExact(st, fd));
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  static int open(String path, int flags) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment st = a.allocate(CAPTURE);
      return errnoOr(st, (int) OPEN.invokeExact(st, a.allocateFrom(path), flags));
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  static int unshare(int flags) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment st = a.allocate(CAPTURE);
      return errnoOr(st, (int) UNSHARE.invokeExact(st, flags));
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  static int setns(int fd, int nstype) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment st = a.allocate(CAPTURE);
      return errnoOr(st, (int) SETNS.invokeExact(st, fd, nstype));
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  static int mount(String source, String target, String fstype, long flags) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment st = a.allocate(CAPTURE);
      int r =
          (int)
              MOUNT.invokeExact(
                  st,
                  a.allocateFrom(source),
                  a.allocateFrom(target),
                  a.allocateFrom(fstype),
                  flags,
                  MemorySegment.NULL);
      return errnoOr(st, r);
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  static int umount2(String target, int flags) {
    try (Arena a = Arena.ofConfined()) {
      MemorySegment st = a.allocate(CAPTURE);
      return errnoOr(st, (int) UMOUNT2.invokeExact(st, a.allocateFrom(target), flags));
    } catch (Throwable t) {
      throw rethrow(t);
    }
  }

  private static RuntimeException rethrow(Throwable t) {
    if (t instanceof RuntimeException r) {
      throw r;
    }
    if (t instanceof Error e) {
      throw e;
    }
    throw new IllegalStateException(t);
  }
}
