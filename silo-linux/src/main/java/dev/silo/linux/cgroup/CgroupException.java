package dev.silo.linux.cgroup;

import java.io.IOException;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * A failed cgroupfs access, naming what Silo tried to do and the file, e.g. {@code cannot set
 * memory limit: write /sys/fs/cgroup/memory/x/memory.limit_in_bytes: Device or resource busy}.
 */
public final class CgroupException extends IOException {
  private static final long serialVersionUID = 1L;

  private final String action;
  private final transient @Nullable Path file;

  public CgroupException(String action, String detail) {
    this(action, null, detail, null);
  }

  public CgroupException(
      String action, @Nullable Path file, String detail, @Nullable Throwable cause) {
    super("cannot " + action + ": " + detail, cause);
    this.action = action;
    this.file = file;
  }

  /** What Silo tried to do, e.g. {@code set memory limit}. */
  public String action() {
    return action;
  }

  /** The cgroupfs file involved, when there is one. */
  public @Nullable Path file() {
    return file;
  }
}
