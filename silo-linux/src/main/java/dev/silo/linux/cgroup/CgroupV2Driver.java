package dev.silo.linux.cgroup;

import java.util.Set;

/** Cgroup driver for the unified cgroup v2 hierarchy alone (/sys/fs/cgroup is cgroup2). */
public final class CgroupV2Driver implements CgroupDriver {
  private final CgroupLayout layout;
  private final CgroupFiles files;

  CgroupV2Driver(CgroupLayout layout, CgroupFiles files) {
    this.layout = layout;
    this.files = files;
  }

  @Override
  public boolean isApplicable() {
    return layout.v1().isEmpty() && layout.v2() != null;
  }

  @Override
  public String name() {
    return "v2";
  }

  @Override
  public Cgroup open(String cgroupsPath, String containerId) {
    return CgroupDetector.cgroup(
        layout, false, true, v2Controllers(), cgroupsPath, containerId, files);
  }

  private Set<String> v2Controllers() {
    CgroupLayout.Hierarchy v2 = layout.v2();
    return v2 == null ? Set.of() : v2.controllers();
  }
}
