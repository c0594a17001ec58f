package dev.silo.init;

import dev.silo.linux.process.ErrnoException;
import dev.silo.linux.process.Spawner;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * Locates the {@code silo-init} helper and its JNI stub, and starts the helper on a {@link Plan}.
 */
public final class SiloInit {
  /** Largest SEQPACKET message the helper reads in one go. */
  static final int MAX_MESSAGE = 65536;

  private static volatile @Nullable SiloInit located;

  private final Path helper;

  private SiloInit(Path helper, Path jniLibrary) {
    this.helper = helper.toAbsolutePath();
    NativeSpawn.load(jniLibrary);
  }

  /**
   * From {@code silo.home} ({@code libexec/silo-init}, {@code lib/libsilospawn.so}), else from
   * {@code silo.init.helper} and {@code silo.init.jni}.
   */
  public static SiloInit locate() {
    SiloInit init = located;
    if (init != null) {
      return init;
    }
    String home = System.getProperty("silo.home");
    String helper = System.getProperty("silo.init.helper");
    String jni = System.getProperty("silo.init.jni");
    if (home != null) {
      init = of(Path.of(home, "libexec", "silo-init"), Path.of(home, "lib", "libsilospawn.so"));
    } else if (helper != null && jni != null) {
      init = of(Path.of(helper), Path.of(jni));
    } else {
      throw new IllegalStateException(
          "cannot find silo-init: set the system property silo.home, or both "
              + "silo.init.helper and silo.init.jni");
    }
    located = init;
    return init;
  }

  /** An explicit helper binary and JNI library. */
  public static SiloInit of(Path helper, Path jniLibrary) {
    for (Path p : new Path[] {helper, jniLibrary}) {
      if (!Files.isRegularFile(p)) {
        throw new IllegalStateException(
            "silo-init: " + p + " does not exist (build silo-init with make)");
      }
    }
    return new SiloInit(helper, jniLibrary);
  }

  /**
   * Spawns the helper and sends it the plan; stdio and non-CLOEXEC fds of this JVM are inherited.
   */
  public InitProcess start(Plan plan) throws InitException {
    // the sync fd goes right above the preserved fds 3 … 3+N-1 so that it clobbers none of them
    int syncFd = 3 + plan.preserveFds();
    String path = helper.toString();
    long r =
        NativeSpawn.spawn(
            path,
            new String[] {path, "--sync-fd", Integer.toString(syncFd)},
            new String[0],
            syncFd);
    if (r < 0) {
      throw new InitException("posix_spawn(" + path + ")", -1, (int) -r, "");
    }
    InitProcess process = new InitProcess(plan, (int) (r >>> 32), (int) r);
    process.send(plan.encode());
    return process;
  }

  /**
   * Like {@link #start(Plan)}, but the helper (and so the process it runs) gets {@code stdio[i]} as
   * fd i instead of this JVM's: the pipes or pty of an HCS process. Spawned through FFM, which the
   * in-process API may pay for and the runhcs CLI must not.
   */
  public InitProcess start(Plan plan, int[] stdio) throws InitException {
    ensureLoaded(); // waitHelper uses the JNI waitpid
    int syncFd = 3 + plan.preserveFds();
    String path = helper.toString();
    Spawner.Spawned s;
    try {
      s = Spawner.spawn(new String[] {path, "--sync-fd", Integer.toString(syncFd)}, syncFd, stdio);
    } catch (ErrnoException e) {
      throw new InitException("posix_spawn(" + path + ")", -1, e.errno(), "");
    }
    InitProcess process = new InitProcess(plan, s.pid(), s.socket());
    process.send(plan.encode());
    return process;
  }

  /**
   * Starts the plan under a {@code silo-monitor} (next to the helper), which detaches, runs the
   * helper with the container's stdio on its own pipes or pty and relays the sync messages, so the
   * returned process reads PID/READY/ERROR as from {@link #start(Plan)}. Its {@link
   * InitProcess#monitorPid()} is the monitor that owns the container from then on. Preserved fds
   * are not passed through a monitor.
   */
  public InitProcess startMonitored(Plan plan, MonitorConfig config) throws InitException {
    if (plan.preserveFds() != 0 || plan.foreground()) {
      throw new IllegalArgumentException(
          "a monitored container has no preserved fds and is never foreground");
    }
    Path monitor = monitorBinary();
    if (!Files.isRegularFile(monitor)) {
      throw new IllegalStateException(
          "silo-monitor: " + monitor + " does not exist (build silo-init with make)");
    }
    int syncFd = 3;
    String[] argv = config.argv(monitor, helper, syncFd).toArray(new String[0]);
    long r = NativeSpawn.spawn(monitor.toString(), argv, new String[0], syncFd);
    if (r < 0) {
      throw new InitException("posix_spawn(" + monitor + ")", -1, (int) -r, "");
    }
    InitProcess process = new InitProcess(plan, (int) (r >>> 32), (int) r);
    try {
      process.send(plan.encode());
    } catch (InitException e) {
      // EOF makes the monitor shut silo-init's socket; silo-init then fails and the monitor exits
      process.close();
      process.waitHelper();
      throw e;
    }
    return process;
  }

  /** {@code silo-monitor}, next to {@code silo-init}. */
  public Path monitorBinary() {
    return helper.resolveSibling("silo-monitor");
  }

  /** {@code kill(2)}: 0 or -errno. */
  public static int kill(int pid, int signal) {
    ensureLoaded();
    return NativeSpawn.kill(pid, signal);
  }

  /** {@code waitpid(2)} for a child of this JVM: the raw status, or -errno. */
  public static int waitpid(int pid) {
    ensureLoaded();
    return NativeSpawn.waitpid(pid);
  }

  private static void ensureLoaded() {
    if (!NativeSpawn.isLoaded()) {
      locate();
    }
  }
}
