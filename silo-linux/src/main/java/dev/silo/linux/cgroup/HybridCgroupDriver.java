package dev.silo.linux.cgroup;

/**
 * Cgroup driver for cgroup v1 controllers plus a cgroup2 mount (e.g. /sys/fs/cgroup/unified) for
 * the controllers v1 left free.
 */
public final class HybridCgroupDriver implements CgroupDriver {
  private final CgroupLayout layout;
  private final CgroupFiles files;

  HybridCgroupDriver(CgroupLayout layout, CgroupFiles files) {
    this.layout = layout;
    this.files = files;
  }

  @Override
  public boolean isApplicable() {
    return !layout.v1().isEmpty() && layout.v2() != null;
  }

  @Override
  public String name() {
    return "hybrid";
  }

  @Override
  public Cgroup open(String cgroupsPath, String containerId) {
    return CgroupDetector.cgroup(
        layout, true, true, layout.v2OnlyControllers(), cgroupsPath, containerId, files);
  }
}
