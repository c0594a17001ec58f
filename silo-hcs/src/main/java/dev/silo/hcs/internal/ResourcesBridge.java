package dev.silo.hcs.internal;

import dev.silo.linux.cgroup.CgroupResources;
import dev.silo.schema.oci.LinuxBlockIo;
import dev.silo.schema.oci.LinuxResources;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * OCI {@code linux.resources} to the cgroup drivers' resource record (the job object limits of
 * HCS).
 */
public final class ResourcesBridge {
  private ResourcesBridge() {}

  /**
   * runc's default allowed devices (libcontainer/specconv AllowedDevices): mknod of anything, the
   * standard nodes, ptys and tun. They follow the spec's own rules, so a spec's "deny all" keeps
   * them.
   */
  private static final List<CgroupResources.DeviceRule> DEFAULT_ALLOWED =
      List.of(
          rule("c", null, null, "m"),
          rule("b", null, null, "m"),
          rule("c", 1L, 3L, "rwm"),
          rule("c", 1L, 8L, "rwm"),
          rule("c", 1L, 7L, "rwm"),
          rule("c", 5L, 0L, "rwm"),
          rule("c", 1L, 5L, "rwm"),
          rule("c", 1L, 9L, "rwm"),
          rule("c", 5L, 1L, "rwm"),
          rule("c", 136L, null, "rwm"),
          rule("c", 5L, 2L, "rwm"),
          rule("c", 10L, 200L, "rwm"));

  private static CgroupResources.DeviceRule rule(
      String type, @Nullable Long major, @Nullable Long minor, String access) {
    return new CgroupResources.DeviceRule(true, type, major, minor, access);
  }

  public static CgroupResources toCgroup(LinuxResources r) {
    CgroupResources.Builder b = CgroupResources.builder();
    LinuxResources.Memory m = r.memory();
    if (m != null) {
      // runc's cgroup drivers write these only when non-zero; dockerd sends 0 for "not set"
      // ("cpu": {"shares": 0}), which the kernel would clamp or reject.
      b.memoryLimit(zeroToNull(m.limit()))
          .memoryReservation(zeroToNull(m.reservation()))
          .memorySwap(zeroToNull(m.swap()))
          .memorySwappiness(m.swappiness())
          .disableOomKiller(m.disableOomKiller());
    }
    LinuxResources.Cpu c = r.cpu();
    if (c != null) {
      b.cpuShares(zeroToNull(c.shares()))
          .cpuQuota(zeroToNull(c.quota()))
          .cpuPeriod(zeroToNull(c.period()))
          .cpuBurst(c.burst())
          .cpuRealtimeRuntime(zeroToNull(c.realtimeRuntime()))
          .cpuRealtimePeriod(zeroToNull(c.realtimePeriod()))
          .cpusetCpus(emptyToNull(c.cpus()))
          .cpusetMems(emptyToNull(c.mems()))
          .cpuIdle(c.idle());
    }
    LinuxResources.Pids p = r.pids();
    if (p != null) {
      b.pidsLimit(p.limit());
    }
    LinuxBlockIo io = r.blockIO();
    if (io != null) {
      // runc writes a weight only when it is non-zero: dockerd sends "weight": 0 for "not set".
      b.blkioWeight(zeroToNull(io.weight())).blkioLeafWeight(zeroToNull(io.leafWeight()));
      List<CgroupResources.WeightDevice> wd = new ArrayList<>();
      for (LinuxBlockIo.WeightDevice d : io.weightDevice()) {
        wd.add(
            new CgroupResources.WeightDevice(
                d.major(), d.minor(), zeroToNull(d.weight()), zeroToNull(d.leafWeight())));
      }
      b.blkioWeightDevice(wd)
          .blkioThrottleReadBpsDevice(throttle(io.throttleReadBpsDevice()))
          .blkioThrottleWriteBpsDevice(throttle(io.throttleWriteBpsDevice()))
          .blkioThrottleReadIopsDevice(throttle(io.throttleReadIopsDevice()))
          .blkioThrottleWriteIopsDevice(throttle(io.throttleWriteIopsDevice()));
    }
    Map<String, Long> huge = new LinkedHashMap<>();
    for (LinuxResources.HugepageLimit h : r.hugepageLimits()) {
      huge.put(h.pageSize(), h.limit());
    }
    b.hugepageLimits(huge);
    List<CgroupResources.DeviceRule> rules = new ArrayList<>();
    for (LinuxResources.DeviceRule d : r.devices()) {
      String type = d.type() == null || d.type().isEmpty() ? "a" : d.type();
      // Only r, w and m mean something to the kernel; runc keeps those bits and drops the rest
      // ("rwa" = "rw").
      String access = d.access() == null || d.access().isEmpty() ? "rwm" : deviceAccess(d.access());
      if (access.isEmpty()) {
        continue;
      }
      rules.add(new CgroupResources.DeviceRule(d.allow(), type, d.major(), d.minor(), access));
    }
    if (!rules.isEmpty()) {
      // linux.devices are created in /dev but not allowed by themselves: as in runc, the spec's
      // rules
      // decide (runc's update.bats denies /dev/kmsg while creating it).
      rules.addAll(DEFAULT_ALLOWED);
    }
    b.devices(rules);
    b.unified(r.unified());
    return b.build();
  }

  private static List<CgroupResources.ThrottleDevice> throttle(
      List<LinuxBlockIo.ThrottleDevice> in) {
    List<CgroupResources.ThrottleDevice> out = new ArrayList<>();
    for (LinuxBlockIo.ThrottleDevice d : in) {
      out.add(new CgroupResources.ThrottleDevice(d.major(), d.minor(), d.rate()));
    }
    return out;
  }

  private static @Nullable Integer zeroToNull(@Nullable Integer weight) {
    return weight == null || weight == 0 ? null : weight;
  }

  private static @Nullable Long zeroToNull(@Nullable Long value) {
    return value == null || value == 0 ? null : value;
  }

  private static @Nullable String emptyToNull(@Nullable String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  /** Keeps the r, w and m of a device rule's access; a loop, as regex costs runhcs start-up. */
  static String deviceAccess(String access) {
    StringBuilder b = new StringBuilder(3);
    for (int i = 0; i < access.length(); i++) {
      char c = access.charAt(i);
      if (c == 'r' || c == 'w' || c == 'm') {
        b.append(c);
      }
    }
    return b.toString();
  }
}
