package dev.silo.linux.cgroup;

import dev.silo.linux.cgroup.CgroupResources.DeviceRule;
import dev.silo.linux.cgroup.CgroupResources.ThrottleDevice;
import dev.silo.linux.cgroup.CgroupResources.WeightDevice;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;

/** Writes {@link CgroupResources} into cgroup v1 controller directories, with runc's semantics. */
final class V1Resources {
  private V1Resources() {}

  static void memory(CgroupFiles files, Path dir, CgroupResources r) throws CgroupException {
    memoryAndSwap(files, dir, r);
    memoryExtras(files, dir, r);
  }

  private static void memoryAndSwap(CgroupFiles files, Path dir, CgroupResources r)
      throws CgroupException {
    Long limit = r.memoryLimit();
    Long swap = r.memorySwap();
    Path memsw = dir.resolve("memory.memsw.limit_in_bytes");
    // Unlimited memory with swap left alone means unlimited swap too (runc), if swap is accounted.
    if (limit != null && limit == -1 && swap == null && Files.exists(memsw)) {
      swap = -1L;
    }
    if (swap != null && !Files.exists(memsw)) {
      throw new CgroupException(
          "set memory swap limit",
          memsw,
          memsw
              + " does not exist: this"
              + " kernel does not account swap (boot with swapaccount=1)",
          null);
    }
    // memory.limit_in_bytes <= memory.memsw.limit_in_bytes must hold after every single write:
    // when raising, write memsw first; when lowering, the limit first.
    boolean swapFirst = false;
    if (limit != null && swap != null) {
      long current = files.readLong("set memory limit", dir.resolve("memory.limit_in_bytes"));
      swapFirst = swap == -1 || current < swap;
    }
    String swapText = swap == null ? null : Long.toString(swap);
    if (swapFirst && swapText != null) {
      files.write("set memory swap limit", memsw, swapText);
    }
    if (limit != null) {
      files.write("set memory limit", dir.resolve("memory.limit_in_bytes"), Long.toString(limit));
    }
    if (!swapFirst && swapText != null) {
      files.write("set memory swap limit", memsw, swapText);
    }
  }

  private static void memoryExtras(CgroupFiles files, Path dir, CgroupResources r)
      throws CgroupException {
    if (r.memoryReservation() != null) {
      files.write(
          "set memory reservation",
          dir.resolve("memory.soft_limit_in_bytes"),
          Long.toString(r.memoryReservation()));
    }
    if (Boolean.TRUE.equals(r.disableOomKiller())) {
      files.write("disable the OOM killer", dir.resolve("memory.oom_control"), "1");
    }
    Long swappiness = r.memorySwappiness();
    if (swappiness != null && swappiness != -1) {
      files.write(
          "set memory swappiness", dir.resolve("memory.swappiness"), Long.toString(swappiness));
    }
  }

  static void cpu(CgroupFiles files, Path dir, CgroupResources r) throws CgroupException {
    Long shares = r.cpuShares();
    if (shares != null) {
      Path file = dir.resolve("cpu.shares");
      files.write("set cpu shares", file, Long.toString(shares));
      long actual = files.readLong("set cpu shares", file);
      if (actual != shares) {
        throw new CgroupException(
            "set cpu shares",
            file,
            "the kernel clamped "
                + file
                + " from "
                + shares
                + " to "
                + actual
                + " (valid range 2-262144)",
            null);
      }
    }
    cfs(files, dir, r);
    if (r.cpuIdle() != null) {
      files.write("set cpu idle", dir.resolve("cpu.idle"), Long.toString(r.cpuIdle()));
    }
    // The runtime must fit in the period at every step, so the period goes first.
    if (r.cpuRealtimePeriod() != null) {
      files.write(
          "set cpu realtime period",
          dir.resolve("cpu.rt_period_us"),
          Long.toString(r.cpuRealtimePeriod()));
    }
    if (r.cpuRealtimeRuntime() != null) {
      files.write(
          "set cpu realtime runtime",
          dir.resolve("cpu.rt_runtime_us"),
          Long.toString(r.cpuRealtimeRuntime()));
    }
  }

  /**
   * Period, burst, quota. The kernel rejects (EINVAL) a period or burst that does not fit the
   * current quota; as runc, such a write is retried after the quota is written.
   */
  private static void cfs(CgroupFiles files, Path dir, CgroupResources r) throws CgroupException {
    Long quota = r.cpuQuota();
    Long period = r.cpuPeriod();
    Long burst = r.cpuBurst();
    Path periodFile = dir.resolve("cpu.cfs_period_us");
    Path burstFile = dir.resolve("cpu.cfs_burst_us");
    boolean periodLater =
        period != null && !tryWrite(files, "set cpu period", periodFile, period, quota != null);
    boolean burstLater =
        burst != null && !tryWrite(files, "set cpu burst", burstFile, burst, quota != null);
    if (quota != null) {
      files.write("set cpu quota", dir.resolve("cpu.cfs_quota_us"), Long.toString(quota));
      if (periodLater && period != null) {
        files.write("set cpu period", periodFile, Long.toString(period));
      }
      if (burstLater && burst != null) {
        files.write("set cpu burst", burstFile, Long.toString(burst));
      }
    }
  }

  /** False when the kernel said EINVAL and a quota write follows that may make room. */
  private static boolean tryWrite(
      CgroupFiles files, String action, Path file, long value, boolean quotaFollows)
      throws CgroupException {
    try {
      files.write(action, file, Long.toString(value));
      return true;
    } catch (CgroupException e) {
      String message = e.getMessage();
      if (!quotaFollows || message == null || !message.endsWith("Invalid argument")) {
        throw e;
      }
      return false;
    }
  }

  static void cpuset(CgroupFiles files, Path dir, CgroupResources r) throws CgroupException {
    String cpus = r.cpusetCpus();
    String mems = r.cpusetMems();
    if (cpus != null && !cpus.isBlank()) {
      files.write("set cpuset cpus", dir.resolve("cpuset.cpus"), cpus);
    }
    if (mems != null && !mems.isBlank()) {
      files.write("set cpuset mems", dir.resolve("cpuset.mems"), mems);
    }
  }

  /**
   * A new v1 cpuset starts with empty cpus/mems and no task can join it then; copy them down from
   * the parent, level by level from the mount point, as runc's ensureParent does.
   */
  static void inheritCpuset(CgroupFiles files, Path mount, Path dir) throws CgroupException {
    if (!dir.startsWith(mount) || dir.equals(mount)) {
      return;
    }
    Path parent = mount;
    for (Path segment : mount.relativize(dir)) {
      Path child = parent.resolve(segment);
      for (String name : List.of("cpuset.cpus", "cpuset.mems")) {
        String own = files.read("inherit cpuset", child.resolve(name));
        if (own.isEmpty()) {
          String inherited = files.read("inherit cpuset", parent.resolve(name));
          files.write("inherit cpuset", child.resolve(name), inherited);
        }
      }
      parent = child;
    }
  }

  static void pids(CgroupFiles files, Path dir, CgroupResources r) throws CgroupException {
    long limit = r.pidsLimit() == null ? 0 : r.pidsLimit();
    String value = limit > 0 ? Long.toString(limit) : "max";
    files.write("set pids limit", dir.resolve("pids.max"), value);
  }

  static void blkio(CgroupFiles files, Path dir, CgroupResources r) throws CgroupException {
    boolean cfq = Files.exists(dir.resolve("blkio.weight"));
    String weightFile = cfq ? "blkio.weight" : "blkio.bfq.weight";
    boolean wantsWeight = r.blkioWeight() != null;
    for (var d : r.blkioWeightDevice()) {
      wantsWeight |= d.weight() != null;
    }
    if (wantsWeight && !cfq && !Files.exists(dir.resolve(weightFile))) {
      throw new CgroupException(
          "set blkio weight",
          dir.resolve("blkio.weight"),
          "neither"
              + " blkio.weight nor blkio.bfq.weight exists in "
              + dir
              + ": the block I/O scheduler"
              + " has no proportional weight (use bfq)",
          null);
    }
    if (r.blkioWeight() != null) {
      files.write("set blkio weight", dir.resolve(weightFile), Integer.toString(r.blkioWeight()));
    }
    if (r.blkioLeafWeight() != null) {
      files.write(
          "set blkio leaf weight",
          dir.resolve("blkio.leaf_weight"),
          Integer.toString(r.blkioLeafWeight()));
    }
    for (WeightDevice d : r.blkioWeightDevice()) {
      if (d.weight() != null) {
        files.write(
            "set blkio weight device",
            dir.resolve(weightFile + "_device"),
            d.major() + ":" + d.minor() + " " + d.weight());
      }
      if (d.leafWeight() != null) {
        files.write(
            "set blkio leaf weight device",
            dir.resolve("blkio.leaf_weight_device"),
            d.major() + ":" + d.minor() + " " + d.leafWeight());
      }
    }
    throttle(files, dir, "read_bps_device", r.blkioThrottleReadBpsDevice());
    throttle(files, dir, "write_bps_device", r.blkioThrottleWriteBpsDevice());
    throttle(files, dir, "read_iops_device", r.blkioThrottleReadIopsDevice());
    throttle(files, dir, "write_iops_device", r.blkioThrottleWriteIopsDevice());
  }

  private static void throttle(CgroupFiles files, Path dir, String name, List<ThrottleDevice> list)
      throws CgroupException {
    for (ThrottleDevice d : list) {
      files.write(
          "set blkio throttle " + name,
          dir.resolve("blkio.throttle." + name),
          d.major() + ":" + d.minor() + " " + d.rate());
    }
  }

  /** Deny everything, then apply the rules in order: the OCI rule list is a whitelist program. */
  static void devices(CgroupFiles files, Path dir, CgroupResources r) throws CgroupException {
    files.write("set device rules", dir.resolve("devices.deny"), "a");
    for (DeviceRule rule : r.devices()) {
      String file = rule.allow() ? "devices.allow" : "devices.deny";
      files.write("set device rule " + rule.v1Line(), dir.resolve(file), rule.v1Line());
    }
  }

  static void hugetlb(CgroupFiles files, Path dir, CgroupResources r) throws CgroupException {
    for (var e : new TreeMap<>(r.hugepageLimits()).entrySet()) {
      files.write(
          "set hugetlb " + e.getKey() + " limit",
          dir.resolve("hugetlb." + e.getKey() + ".limit_in_bytes"),
          Long.toString(e.getValue()));
    }
  }
}
