package dev.silo.linux.fs;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.silo.linux.process.ErrnoException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;

/**
 * {@code mknod(2)} and {@code lsetxattr(2)}: what unpacking an image layer needs beyond {@code
 * java.nio.file} (device nodes, overlayfs whiteouts, {@code trusted.*}/{@code security.*} xattrs).
 */
public final class FileNodes {
  /** {@code S_IFCHR}: a character device; with device 0/0 it is an overlayfs whiteout. */
  public static final int S_IFCHR = 0020000;

  /** {@code S_IFBLK}: a block device. */
  public static final int S_IFBLK = 0060000;

  /** {@code S_IFIFO}: a named pipe. */
  public static final int S_IFIFO = 0010000;

  private static final Linker LINKER = Linker.nativeLinker();
  private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
  private static final VarHandle ERRNO =
      CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

  private FileNodes() {}

  /** Creates a device node, fifo or whiteout at {@code path} ({@code mode} holds the type bits). */
  public static void mknod(Path path, int mode, int major, int minor) throws ErrnoException {
    long dev = makedev(major, minor);
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = arena.allocate(CALL_STATE);
      int rc =
          (int) Handles.MKNOD.invokeExact(state, arena.allocateFrom(path.toString()), mode, dev);
      if (rc != 0) {
        throw new ErrnoException("mknod", (int) ERRNO.get(state, 0L), path.toString());
      }
    } catch (ErrnoException e) {
      throw e;
    } catch (Throwable t) {
      throw linkage("mknod", t);
    }
  }

  /** Sets an extended attribute on {@code path} itself (a symlink is not followed). */
  public static void lsetxattr(Path path, String name, byte[] value) throws ErrnoException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = arena.allocate(CALL_STATE);
      MemorySegment v = arena.allocate(Math.max(1, value.length));
      MemorySegment.copy(value, 0, v, JAVA_BYTE, 0, value.length);
      int rc =
          (int)
              Handles.LSETXATTR.invokeExact(
                  state,
                  arena.allocateFrom(path.toString()),
                  arena.allocateFrom(name),
                  v,
                  (long) value.length,
                  0);
      if (rc != 0) {
        throw new ErrnoException("lsetxattr", (int) ERRNO.get(state, 0L), path + " " + name);
      }
    } catch (ErrnoException e) {
      throw e;
    } catch (Throwable t) {
      throw linkage("lsetxattr", t);
    }
  }

  /** glibc's {@code makedev}: the 64-bit {@code dev_t} encoding. */
  static long makedev(int major, int minor) {
    long ma = major & 0xffffffffL;
    long mi = minor & 0xffffffffL;
    return ((ma & 0xfffff000L) << 32)
        | ((ma & 0x00000fffL) << 8)
        | ((mi & 0xffffff00L) << 12)
        | (mi & 0x000000ffL);
  }

  private static IllegalStateException linkage(String call, Throwable t) {
    if (t instanceof RuntimeException r) {
      throw r;
    }
    if (t instanceof Error e) {
      throw e;
    }
    return new IllegalStateException(call + " failed", t);
  }

  /** Built on first use, so a caller that never makes a node pays no FFM linkage. */
  private static final class Handles {
    static final MethodHandle MKNOD =
        capturing("mknod", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG));
    static final MethodHandle LSETXATTR =
        capturing(
            "lsetxattr",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT));

    private static MethodHandle capturing(String name, FunctionDescriptor fd) {
      MemorySegment fn = LINKER.defaultLookup().find(name).orElseThrow();
      return LINKER.downcallHandle(fn, fd, Linker.Option.captureCallState("errno"));
    }
  }
}
