package dev.silo.linux.cgroup;

import java.io.IOException;
import java.nio.file.Path;

/**
 * One flavour of cgroup host (v1, v2 or hybrid), chosen testcontainers-style by {@link
 * #isApplicable()}; it turns an OCI {@code cgroupsPath} into a {@link Cgroup}, the Linux form of a
 * Windows job object.
 */
public sealed interface CgroupDriver permits CgroupV1Driver, CgroupV2Driver, HybridCgroupDriver {

  /** The driver for this host, from {@code /proc/self/mountinfo} and {@code /proc/self/cgroup}. */
  static CgroupDriver detect() throws IOException {
    return detect(Path.of("/proc/self/mountinfo"), Path.of("/proc/self/cgroup"));
  }

  /** The driver for the host those two files describe (fake roots in unit tests). */
  static CgroupDriver detect(Path mountinfo, Path procSelfCgroup) throws IOException {
    return CgroupDetector.detect(mountinfo, procSelfCgroup, CgroupFiles.REAL);
  }

  /** Whether this host's mounts are of this driver's flavour. */
  boolean isApplicable();

  /** {@code v1}, {@code v2} or {@code hybrid}. */
  String name();

  /**
   * Creates the cgroup in every hierarchy (an existing one is joined, as runc does).
   *
   * @param cgroupsPath absolute = from the hierarchy root, relative = under this process's own
   *     cgroup, empty = {@code /<containerId>}
   * @throws IllegalArgumentException if the path escapes the hierarchy root
   */
  default Cgroup create(String cgroupsPath, String containerId) throws IOException {
    Cgroup cgroup = open(cgroupsPath, containerId);
    cgroup.create();
    return cgroup;
  }

  /** The cgroup at {@code cgroupsPath} without creating anything (for state, kill, delete). */
  Cgroup open(String cgroupsPath, String containerId);
}
