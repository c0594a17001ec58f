package dev.silo.init;

/**
 * Linux {@code mount(2)} flags and the helper's MOUNT step options (docs/plan-format.md, opcode
 * 22).
 */
public final class MountFlags {
  public static final long MS_RDONLY = 1L;
  public static final long MS_NOSUID = 2L;
  public static final long MS_NODEV = 4L;
  public static final long MS_NOEXEC = 8L;
  public static final long MS_SYNCHRONOUS = 16L;
  public static final long MS_REMOUNT = 32L;
  public static final long MS_MANDLOCK = 64L;
  public static final long MS_DIRSYNC = 128L;
  public static final long MS_NOATIME = 1024L;
  public static final long MS_NODIRATIME = 2048L;
  public static final long MS_BIND = 4096L;
  public static final long MS_MOVE = 8192L;
  public static final long MS_REC = 16384L;
  public static final long MS_UNBINDABLE = 1L << 17;
  public static final long MS_PRIVATE = 1L << 18;
  public static final long MS_SLAVE = 1L << 19;
  public static final long MS_SHARED = 1L << 20;
  public static final long MS_RELATIME = 1L << 21;
  public static final long MS_STRICTATIME = 1L << 24;
  public static final long MS_LAZYTIME = 1L << 25;

  /** MOUNT option: {@code mkdir -p} the target first. */
  public static final int OPT_MKDIR = 1;

  /** MOUNT option: create the target as an empty file if missing (bind mounts of files). */
  public static final int OPT_MKFILE = 2;

  /** MOUNT option: skip the mount when an absolute source does not exist. */
  public static final int OPT_IGNORE_MISSING = 4;

  /**
   * MOUNT option: after the mount, remount with {@code MS_REMOUNT|MS_BIND|flags} (read-only binds).
   */
  public static final int OPT_REMOUNT_BIND = 8;

  private MountFlags() {}
}
