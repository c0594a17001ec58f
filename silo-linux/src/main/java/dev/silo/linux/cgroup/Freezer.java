package dev.silo.linux.cgroup;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * Pause/Resume of HCS: v1 {@code freezer.state} FROZEN/THAWED, v2 {@code cgroup.freeze} 1/0
 * confirmed by {@code frozen} in {@code cgroup.events}. Freezing is asynchronous in the kernel, so
 * both wait by polling with a deadline.
 */
final class Freezer {
  static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final CgroupFiles files;
  private final Path dir;
  private final boolean v2;

  private Freezer(CgroupFiles files, Path dir, boolean v2) {
    this.files = files;
    this.dir = dir;
    this.v2 = v2;
  }

  static Freezer v1(CgroupFiles files, Path dir) {
    return new Freezer(files, dir, false);
  }

  static Freezer v2(CgroupFiles files, Path dir) {
    return new Freezer(files, dir, true);
  }

  void freeze() throws CgroupException {
    change(true);
  }

  void thaw() throws CgroupException {
    change(false);
  }

  boolean isFrozen() throws CgroupException {
    if (v2) {
      return frozenEvent();
    }
    return files.read("read freezer state", dir.resolve("freezer.state")).equals("FROZEN");
  }

  private void change(boolean frozen) throws CgroupException {
    String action = frozen ? "freeze" : "thaw";
    Path control = dir.resolve(v2 ? "cgroup.freeze" : "freezer.state");
    String value = v2 ? (frozen ? "1" : "0") : (frozen ? "FROZEN" : "THAWED");
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    long pauseNanos = Duration.ofMillis(1).toNanos();
    for (int attempt = 0; ; attempt++) {
      // v1 can stay FREEZING when a task is in an uninterruptible sleep; runc re-writes FROZEN
      // now and then to make the kernel retry, and so do we.
      if (attempt == 0 || (!v2 && frozen && attempt % 10 == 0)) {
        files.write(action, control, value);
      }
      if (reached(frozen, value)) {
        return;
      }
      if (System.nanoTime() > deadline) {
        if (frozen) {
          files.write("thaw after failed freeze", control, v2 ? "0" : "THAWED");
        }
        throw new CgroupException(
            action,
            control,
            "the kernel did not report the cgroup "
                + (frozen ? "frozen" : "thawed")
                + " within "
                + TIMEOUT.toSeconds()
                + "s ("
                + control
                + ")",
            null);
      }
      LockSupport.parkNanos(pauseNanos);
      pauseNanos = Math.min(pauseNanos * 2, Duration.ofMillis(20).toNanos());
    }
  }

  private boolean reached(boolean frozen, String value) throws CgroupException {
    if (v2) {
      return frozenEvent() == frozen;
    }
    return files.read("read freezer state", dir.resolve("freezer.state")).equals(value);
  }

  private boolean frozenEvent() throws CgroupException {
    String events = files.read("read freeze state", dir.resolve("cgroup.events"));
    for (String line : events.split("\n", -1)) {
      if (line.trim().equals("frozen 1")) {
        return true;
      }
    }
    return false;
  }
}
