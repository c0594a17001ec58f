package dev.silo.linux.cgroup;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Picks the applicable driver and builds {@link Cgroup}s from a {@link CgroupLayout}. */
final class CgroupDetector {
  private CgroupDetector() {}

  static CgroupDriver detect(Path mountinfo, Path procSelfCgroup, CgroupFiles files)
      throws IOException {
    CgroupLayout layout = CgroupLayout.read(mountinfo, procSelfCgroup);
    List<CgroupDriver> candidates =
        List.of(
            new CgroupV2Driver(layout, files),
            new HybridCgroupDriver(layout, files),
            new CgroupV1Driver(layout, files));
    for (CgroupDriver driver : candidates) {
      if (driver.isApplicable()) {
        return driver;
      }
    }
    throw new IOException(
        "no cgroup filesystem is mounted ("
            + mountinfo
            + " has neither a"
            + " cgroup nor a cgroup2 mount)");
  }

  /**
   * The cgroup at {@code cgroupsPath} in the v1 hierarchies (if {@code withV1}) and in cgroup2
   * taking {@code v2Controllers} from it (if {@code withV2}).
   */
  static Cgroup cgroup(
      CgroupLayout layout,
      boolean withV1,
      boolean withV2,
      Set<String> v2Controllers,
      String cgroupsPath,
      String containerId,
      CgroupFiles files) {
    Map<String, Path> dirs = new LinkedHashMap<>();
    Map<String, Path> mounts = new LinkedHashMap<>();
    if (withV1) {
      for (CgroupLayout.Hierarchy h : layout.v1()) {
        Path dir = CgroupPaths.resolve(h.mountPoint(), layout.ownPath(h), cgroupsPath, containerId);
        for (String controller : h.controllers()) {
          dirs.put(controller, dir);
          mounts.put(controller, h.mountPoint());
        }
      }
    }
    CgroupLayout.Hierarchy v2 = withV2 ? layout.v2() : null;
    Path unifiedDir =
        v2 == null
            ? null
            : CgroupPaths.resolve(v2.mountPoint(), layout.ownPath(v2), cgroupsPath, containerId);
    return new Cgroup(
        dirs,
        mounts,
        unifiedDir,
        v2 == null ? null : v2.mountPoint(),
        v2 == null ? Set.of() : v2Controllers,
        files);
  }
}
