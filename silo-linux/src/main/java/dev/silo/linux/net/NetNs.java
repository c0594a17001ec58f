package dev.silo.linux.net;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * A network namespace: a named one under {@code /run/netns} (what {@code ip netns add} makes, the
 * Linux side of an HNS namespace) or any nsfs path such as {@code /proc/PID/ns/net}.
 *
 * <p>Namespace switches happen on dedicated platform threads only: {@code setns} changes the
 * calling thread, and a pooled or virtual-thread carrier must never be left in another namespace.
 */
public final class NetNs {
  /** Where {@code ip netns} keeps its bind mounts; other tools find Silo's namespaces there. */
  public static final Path RUN_DIR = Path.of("/run/netns");

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

  private final String name;
  private final Path path;

  private NetNs(String name, Path path) {
    this.name = name;
    this.path = path;
  }

  /** Creates {@code /run/netns/NAME} holding a new, empty network namespace (only {@code lo}). */
  public static NetNs create(String name) {
    Path file = RUN_DIR.resolve(checkName(name));
    prepareRunDir();
    try {
      Files.createFile(file);
    } catch (IOException e) {
      int errno = Files.exists(file) ? Libc.EEXIST : 0;
      throw new NetException("netns add", name, errno, String.valueOf(e.getMessage()), e);
    }
    try {
      onFreshThread(
          "netns-add-" + name,
          () -> {
            try (NsFd home = NsFd.open(Path.of("/proc/thread-self/ns/net"))) {
              check(Libc.unshare(Libc.CLONE_NEWNET), "unshare(CLONE_NEWNET)", name);
              int rc =
                  Libc.mount("/proc/thread-self/ns/net", file.toString(), "none", Libc.MS_BIND);
              // go home before reporting, so the thread never ends in a namespace nobody holds
              check(Libc.setns(home.fd(), Libc.CLONE_NEWNET), "setns", "host");
              check(rc, "mount --bind", file.toString());
            }
            return null;
          });
    } catch (RuntimeException e) {
      deleteQuietly(file);
      throw e;
    }
    return new NetNs(name, file);
  }

  /** The named namespace {@code /run/netns/NAME}; fails when it does not exist. */
  public static NetNs open(String name) {
    Path file = RUN_DIR.resolve(checkName(name));
    if (!Files.exists(file)) {
      throw new NetException("netns open", name, Libc.ENOENT, Libc.strerror(Libc.ENOENT));
    }
    return new NetNs(name, file);
  }

  /** Any network namespace file, e.g. {@code /proc/1234/ns/net} of a container's init. */
  public static NetNs ofPath(Path path) {
    Path file = path.getFileName();
    return new NetNs(file == null ? path.toString() : file.toString(), path);
  }

  /** The names under {@code /run/netns}, sorted. */
  public static List<String> list() {
    if (!Files.isDirectory(RUN_DIR)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(RUN_DIR)) {
      return files.map(p -> String.valueOf(p.getFileName())).sorted().toList();
    } catch (IOException e) {
      throw new NetException("netns list", RUN_DIR.toString(), 0, String.valueOf(e), e);
    }
  }

  /** Whether {@code /run/netns/NAME} exists. */
  public static boolean exists(String name) {
    return Files.exists(RUN_DIR.resolve(checkName(name)));
  }

  /**
   * Deletes {@code /run/netns/NAME} like {@code ip netns delete}: the namespace dies with its last
   * user, so processes still inside keep it alive.
   */
  public static void delete(String name) {
    Path file = RUN_DIR.resolve(checkName(name));
    int rc = Libc.umount2(file.toString(), Libc.MNT_DETACH);
    if (rc < 0 && rc != -Libc.EINVAL) {
      check(rc, "umount2", file.toString());
    }
    try {
      Files.delete(file);
    } catch (IOException e) {
      throw new NetException("netns delete", name, Libc.ENOENT, String.valueOf(e), e);
    }
  }

  /**
   * Runs {@code task} on a pooled platform thread switched into {@code ns} for the task only, for
   * what has no netlink equivalent (opening sockets, {@code /proc/sys/net}, starting a process
   * there).
   */
  public static <T extends @Nullable Object, E extends Exception> T run(
      NetNs ns, NsCallable<T, E> task) throws E {
    return NsWorkers.call(ns, task);
  }

  /** Opens the namespace file; the fd is what {@code setns} and {@code IFLA_NET_NS_FD} take. */
  public NsFd openFd() {
    return NsFd.open(path);
  }

  /** The name under {@code /run/netns}, or the file name for {@link #ofPath}. */
  public String name() {
    return name;
  }

  /** The nsfs file. */
  public Path path() {
    return path;
  }

  @Override
  public String toString() {
    return "netns " + name;
  }

  /** A task run inside a namespace; may throw one checked exception type. */
  @FunctionalInterface
  public interface NsCallable<T extends @Nullable Object, E extends Exception> {
    /** Runs inside the namespace. */
    T call() throws E;
  }

  static void check(int rc, String op, String object) {
    if (rc < 0) {
      throw new NetException(op, object, -rc, Libc.strerror(-rc));
    }
  }

  private static String checkName(String name) {
    if (!NAME.matcher(name).matches() || name.equals(".") || name.equals("..")) {
      throw new IllegalArgumentException(
          "netns name '" + name + "': must be 1-64 of [A-Za-z0-9_.-], not . or ..");
    }
    return name;
  }

  /**
   * Makes /run/netns a shared mount point like iproute2 does, so namespaces created later also
   * appear in mount namespaces cloned from this one (containers, other daemons).
   */
  private static void prepareRunDir() {
    try {
      Files.createDirectories(RUN_DIR);
    } catch (IOException e) {
      throw new NetException("netns add", RUN_DIR.toString(), 0, String.valueOf(e), e);
    }
    String dir = RUN_DIR.toString();
    int rc = Libc.mount("none", dir, "none", Libc.MS_SHARED | Libc.MS_REC);
    if (rc == -Libc.EINVAL) {
      // not a mount point yet: bind it onto itself first, then it can be made shared
      check(Libc.mount(dir, dir, "none", Libc.MS_BIND | Libc.MS_REC), "mount --bind", dir);
      rc = Libc.mount("none", dir, "none", Libc.MS_SHARED | Libc.MS_REC);
    }
    check(rc, "mount --make-shared", dir);
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException ignored) {
      // the caller reports the original failure
    }
  }

  /** Runs on a new platform thread and waits, rethrowing what the task threw. */
  static <T extends @Nullable Object, E extends Exception> T onFreshThread(
      String name, NsCallable<T, E> task) throws E {
    return NsWorkers.handOff(r -> Thread.ofPlatform().name(name).start(r), task);
  }
}
