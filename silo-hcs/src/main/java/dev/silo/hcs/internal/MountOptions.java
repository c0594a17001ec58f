package dev.silo.hcs.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * OCI mount options split as runc's {@code parseMountOptions} splits them: flags for mount(2),
 * flags that clear, a propagation change applied after the mount, and the rest as the filesystem's
 * data.
 */
public record MountOptions(
    long flags, long propagation, String data, boolean bind, boolean recursive) {
  // Values from <sys/mount.h>.
  public static final long MS_RDONLY = 1;
  public static final long MS_NOSUID = 2;
  public static final long MS_NODEV = 4;
  public static final long MS_NOEXEC = 8;
  public static final long MS_SYNCHRONOUS = 16;
  public static final long MS_REMOUNT = 32;
  public static final long MS_MANDLOCK = 64;
  public static final long MS_DIRSYNC = 128;
  public static final long MS_NOATIME = 1024;
  public static final long MS_NODIRATIME = 2048;
  public static final long MS_BIND = 4096;
  public static final long MS_MOVE = 8192;
  public static final long MS_REC = 16384;
  public static final long MS_UNBINDABLE = 1 << 17;
  public static final long MS_PRIVATE = 1 << 18;
  public static final long MS_SLAVE = 1 << 19;
  public static final long MS_SHARED = 1 << 20;
  public static final long MS_RELATIME = 1 << 21;
  public static final long MS_STRICTATIME = 1 << 24;
  public static final long MS_LAZYTIME = 1 << 25;

  public static MountOptions parse(List<String> options) {
    long flags = 0;
    long propagation = 0;
    boolean bind = false;
    boolean rec = false;
    List<String> data = new ArrayList<>();
    for (String o : options) {
      switch (o) {
        case "defaults",
            "rw",
            "suid",
            "dev",
            "exec",
            "async",
            "atime",
            "diratime",
            "nomand",
            "norelatime",
            "nostrictatime",
            "nolazytime" ->
            flags &= ~clearedBy(o);
        case "ro" -> flags |= MS_RDONLY;
        case "nosuid" -> flags |= MS_NOSUID;
        case "nodev" -> flags |= MS_NODEV;
        case "noexec" -> flags |= MS_NOEXEC;
        case "sync" -> flags |= MS_SYNCHRONOUS;
        case "remount" -> flags |= MS_REMOUNT;
        case "mand" -> flags |= MS_MANDLOCK;
        case "dirsync" -> flags |= MS_DIRSYNC;
        case "noatime" -> flags |= MS_NOATIME;
        case "nodiratime" -> flags |= MS_NODIRATIME;
        case "relatime" -> flags |= MS_RELATIME;
        case "strictatime" -> flags |= MS_STRICTATIME;
        case "lazytime" -> flags |= MS_LAZYTIME;
        case "bind" -> bind = true;
        case "rbind" -> {
          bind = true;
          rec = true;
        }
        case "private" -> propagation = MS_PRIVATE;
        case "rprivate" -> propagation = MS_PRIVATE | MS_REC;
        case "slave" -> propagation = MS_SLAVE;
        case "rslave" -> propagation = MS_SLAVE | MS_REC;
        case "shared" -> propagation = MS_SHARED;
        case "rshared" -> propagation = MS_SHARED | MS_REC;
        case "unbindable" -> propagation = MS_UNBINDABLE;
        case "runbindable" -> propagation = MS_UNBINDABLE | MS_REC;
        default -> data.add(o);
      }
    }
    if (bind) {
      flags |= MS_BIND | (rec ? MS_REC : 0);
    }
    return new MountOptions(flags, propagation, String.join(",", data), bind, rec);
  }

  private static long clearedBy(String o) {
    return switch (o) {
      case "rw" -> MS_RDONLY;
      case "suid" -> MS_NOSUID;
      case "dev" -> MS_NODEV;
      case "exec" -> MS_NOEXEC;
      case "async" -> MS_SYNCHRONOUS;
      case "atime" -> MS_NOATIME;
      case "diratime" -> MS_NODIRATIME;
      case "nomand" -> MS_MANDLOCK;
      case "norelatime" -> MS_RELATIME;
      case "nostrictatime" -> MS_STRICTATIME;
      case "nolazytime" -> MS_LAZYTIME;
      default -> 0;
    };
  }

  /** Flags that a read-only bind needs on its remount, keeping the others the bind asked for. */
  public long remountFlags() {
    return MS_REMOUNT | MS_BIND | (flags & ~(MS_BIND | MS_REC | MS_REMOUNT));
  }
}
