package dev.silo.linux.cgroup;

import dev.silo.linux.cgroup.CgroupResources.DeviceRule;
import dev.silo.linux.cgroup.CgroupResources.ThrottleDevice;
import dev.silo.linux.cgroup.CgroupResources.WeightDevice;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/** Writes {@link CgroupResources} into a cgroup v2 directory, converting v1 units as runc does. */
final class V2Resources {

  private V2Resources() {}

  /** v1 cpu.shares (2..262144) to v2 cpu.weight (1..10000), runc's linear map; 0 = unset. */
  static long sharesToWeight(long shares) {
    return shares == 0 ? 0 : 1 + ((shares - 2) * 9999) / 262142;
  }

  /** v1 blkio.weight (10..1000) to v2 io.weight (1..10000), runc's linear map. */
  static long blkioToIoWeight(long weight) {
    return 1 + ((weight - 10) * 9999) / 990;
  }

  /**
   * OCI swap (memory + swap) to v2 memory.swap.max (swap alone); null = leave alone, -1 = max.
   *
   * @throws CgroupException when the pair cannot be expressed
   */
  static @Nullable Long swapToV2(@Nullable Long swap, @Nullable Long memory)
      throws CgroupException {
    if (swap == null) {
      return memory != null && memory == -1 ? Long.valueOf(-1) : null;
    }
    if (swap == -1) {
      return swap;
    }
    if (memory == null || memory == -1) {
      throw new CgroupException("set memory swap limit", "a swap limit needs a memory limit");
    }
    if (swap < memory) {
      throw new CgroupException(
          "set memory swap limit",
          "memory+swap limit " + swap + " must be >= memory limit " + memory);
    }
    return swap - memory;
  }

  private static String max(long value) {
    return value == -1 ? "max" : Long.toString(value);
  }

  static void memory(CgroupFiles files, Path dir, CgroupResources r) throws CgroupException {
    Long swap = swapToV2(r.memorySwap(), r.memoryLimit());
    if (swap != null) {
      Path file = dir.resolve("memory.swap.max");
      // Without swap accounting there is nothing to limit: "max" and "0" are already true.
      if (Files.exists(file) || (swap != -1 && swap != 0)) {
        files.write("set memory swap limit", file, max(swap));
      }
    }
    Long limit = r.memoryLimit();
    if (limit != null) {
      files.write("set memory limit", dir.resolve("memory.max"), max(limit));
    }
    Long reservation = r.memoryReservation();
    if (reservation != null) {
      files.write("set memory reservation", dir.resolve("memory.low"), max(reservation));
    }
    // disableOomKiller and swappiness have no v2 file; runc ignores them there too.
  }

  static void cpu(CgroupFiles files, Path dir, CgroupResources r) throws CgroupException {
    if (r.cpuRealtimeRuntime() != null || r.cpuRealtimePeriod() != null) {
      throw new CgroupException(
          "set cpu realtime runtime/period",
          "cgroup v2 has no realtime scheduling limits (cpu.rt_* exist only in v1)");
    }
    Long shares = r.cpuShares();
    if (shares != null && shares != 0) {
      files.write(
          "set cpu weight", dir.resolve("cpu.weight"), Long.toString(sharesToWeight(shares)));
    }
    Long quota = r.cpuQuota();
    Long period = r.cpuPeriod();
    if (quota != null || period != null) {
      Path file = dir.resolve("cpu.max");
      // cpu.max holds both; keep the current quota when only the period changes.
      String quotaText =
          quota != null
              ? (quota > 0 ? Long.toString(quota) : "max")
              : CgroupFiles.words(files.read("set cpu quota", file))[0];
      files.write("set cpu quota", file, quotaText + (period != null ? " " + period : ""));
    }
    Long burst = r.cpuBurst();
    if (burst != null) {
      files.write("set cpu burst", dir.resolve("cpu.max.burst"), Long.toString(burst));
    }
    Long idle = r.cpuIdle();
    if (idle != null) {
      files.write("set cpu idle", dir.resolve("cpu.idle"), Long.toString(idle));
    }
  }

  static void cpuset(CgroupFiles files, Path dir, CgroupResources r) throws CgroupException {
    V1Resources.cpuset(files, dir, r); // same file names and syntax in v2
  }

  static void pids(CgroupFiles files, Path dir, CgroupResources r) throws CgroupException {
    V1Resources.pids(files, dir, r); // same file name and "max" in v2
  }

  static void io(CgroupFiles files, Path dir, CgroupResources r) throws CgroupException {
    // bfq takes the v1 weight range as is; the generic io.weight needs converting.
    boolean bfq = Files.exists(dir.resolve("io.bfq.weight"));
    Path weightFile = dir.resolve(bfq ? "io.bfq.weight" : "io.weight");
    Integer weight = r.blkioWeight();
    if (weight != null) {
      files.write(
          "set io weight", weightFile, Long.toString(bfq ? weight : blkioToIoWeight(weight)));
    }
    for (WeightDevice d : r.blkioWeightDevice()) {
      Integer w = d.weight();
      if (w != null) {
        files.write(
            "set io weight device",
            weightFile,
            d.major() + ":" + d.minor() + " " + (bfq ? w : blkioToIoWeight(w)));
      }
    }
    // Leaf weights were a CFQ-only notion; v2 has no equivalent and runc ignores them.
    ioMax(files, dir, "rbps", r.blkioThrottleReadBpsDevice());
    ioMax(files, dir, "wbps", r.blkioThrottleWriteBpsDevice());
    ioMax(files, dir, "riops", r.blkioThrottleReadIopsDevice());
    ioMax(files, dir, "wiops", r.blkioThrottleWriteIopsDevice());
  }

  private static void ioMax(CgroupFiles files, Path dir, String key, List<ThrottleDevice> list)
      throws CgroupException {
    for (ThrottleDevice d : list) {
      // v1 uses 0 to lift a throttle; v2 spells that "max".
      String rate = d.rate() == 0 ? "max" : Long.toString(d.rate());
      files.write(
          "set io " + key + " limit",
          dir.resolve("io.max"),
          d.major() + ":" + d.minor() + " " + key + "=" + rate);
    }
  }

  /**
   * cgroup v2 controls devices with an eBPF program attached to the cgroup, which Silo does not
   * build yet; a rule list that ends up allowing everything needs no program at all.
   */
  static void devices(CgroupFiles files, Path dir, CgroupResources r) throws CgroupException {
    List<DeviceRule> rules = r.devices();
    if (rules.isEmpty() || rules.getLast().isAllowAll()) {
      return;
    }
    throw new CgroupException(
        "set device rules in " + dir,
        "device control on cgroup v2 needs a"
            + " BPF_CGROUP_DEVICE program, which is not supported yet (only allow-all rule sets are)");
  }

  static void hugetlb(CgroupFiles files, Path dir, CgroupResources r) throws CgroupException {
    for (var e : new TreeMap<>(r.hugepageLimits()).entrySet()) {
      files.write(
          "set hugetlb " + e.getKey() + " limit",
          dir.resolve("hugetlb." + e.getKey() + ".max"),
          max(e.getValue()));
    }
  }

  /**
   * Enables {@code controllers} in the {@code cgroup.subtree_control} of every ancestor of {@code
   * dir}, so their files appear in it. Best effort, as runc: a controller that cannot be enabled
   * (e.g. an ancestor with tasks, the no-internal-process rule) shows up later as a clear
   * missing-file error if a limit needs it.
   */
  static void enableControllers(CgroupFiles files, Path mount, Path dir, Set<String> controllers) {
    if (controllers.isEmpty() || !dir.startsWith(mount)) {
      return;
    }
    Path parent = mount;
    for (Path segment : mount.relativize(dir)) {
      enableIn(files, parent, controllers);
      parent = parent.resolve(segment);
    }
  }

  private static void enableIn(CgroupFiles files, Path cgroup, Set<String> controllers) {
    Path control = cgroup.resolve("cgroup.subtree_control");
    Set<String> have;
    try {
      have = Set.of(CgroupFiles.words(files.read("enable controllers", control)));
    } catch (CgroupException e) {
      return; // see enableControllers: best effort
    }
    for (String controller : controllers) {
      if (!have.contains(controller)) {
        try {
          files.write("enable controller " + controller, control, "+" + controller);
        } catch (CgroupException e) {
          // see enableControllers: best effort, one controller at a time
        }
      }
    }
  }
}
