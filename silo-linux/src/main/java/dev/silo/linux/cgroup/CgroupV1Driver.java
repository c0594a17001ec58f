package dev.silo.linux.cgroup;

import java.util.Set;

/**
 * Cgroup driver for cgroup v1 only: one hierarchy per controller group (e.g. cpu,cpuacct), no
 * cgroup2 mount.
 */
public final class CgroupV1Driver implements CgroupDriver {
  private final CgroupLayout layout;
  private final CgroupFiles files;

  CgroupV1Driver(CgroupLayout layout, CgroupFiles files) {
    this.layout = layout;
    this.files = files;
  }

  @Override
  public boolean isApplicable() {
    return !layout.v1().isEmpty() && layout.v2() == null;
  }

  @Override
  public String name() {
    return "v1";
  }

  @Override
  public Cgroup open(String cgroupsPath, String containerId) {
    return CgroupDetector.cgroup(layout, true, false, Set.of(), cgroupsPath, containerId, files);
  }
}
