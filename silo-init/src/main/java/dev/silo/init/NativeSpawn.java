package dev.silo.init;

import java.nio.file.Path;

/** The JNI stub {@code libsilospawn.so}: posix_spawn plus the few syscalls the launcher needs. */
final class NativeSpawn {
  private static volatile boolean loaded;

  private NativeSpawn() {}

  /**
   * Loads the library once; later calls with another path are ignored (a JVM loads a library once).
   */
  static synchronized void load(Path library) {
    if (!loaded) {
      System.load(library.toAbsolutePath().toString());
      loaded = true;
    }
  }

  static boolean isLoaded() {
    return loaded;
  }

  /**
   * Spawns {@code path} with one end of a SEQPACKET socketpair at {@code syncFd}: (pid << 32) | fd,
   * or -errno.
   */
  static native long spawn(String path, String[] argv, String[] envp, int syncFd);

  static native int send(int fd, byte[] buf, int len);

  static native int recv(int fd, byte[] buf);

  static native int close(int fd);

  static native int waitpid(int pid);

  static native int kill(int pid, int sig);
}
