package dev.silo.hcs.internal;

import dev.silo.linux.cgroup.CgroupResources;
import dev.silo.schema.oci.LinuxBlockIo;
import dev.silo.schema.oci.LinuxResources;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** OCI {@code linux.resources} to the cgroup drivers' resource record (the job object limits of HCS). */
public final class ResourcesBridge {
  private ResourcesBridge() {}

  public static CgroupResources toCgroup(LinuxResources r) {
    CgroupResources.Builder b = CgroupResources.builder();
    LinuxResources.Memory m = r.memory();
    if (m != null) {
      b.memoryLimit(m.limit()).memoryReservation(m.reservation()).memorySwap(m.swap())
          .memorySwappiness(m.swappiness()).disableOomKiller(m.disableOomKiller());
    }
    LinuxResources.Cpu c = r.cpu();
    if (c != null) {
      b.cpuShares(c.shares()).cpuQuota(c.quota()).cpuPeriod(c.period()).cpuBurst(c.burst())
          .cpuRealtimeRuntime(c.realtimeRuntime()).cpuRealtimePeriod(c.realtimePeriod())
          .cpusetCpus(emptyToNull(c.cpus())).cpusetMems(emptyToNull(c.mems())).cpuIdle(c.idle());
    }
    LinuxResources.Pids p = r.pids();
    if (p != null) {
      b.pidsLimit(p.limit());
    }
    LinuxBlockIo io = r.blockIO();
    if (io != null) {
      b.blkioWeight(io.weight()).blkioLeafWeight(io.leafWeight());
      List<CgroupResources.WeightDevice> wd = new ArrayList<>();
      for (LinuxBlockIo.WeightDevice d : io.weightDevice()) {
        wd.add(new CgroupResources.WeightDevice(d.major(), d.minor(), d.weight(), d.leafWeight()));
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
      String access = d.access() == null || d.access().isEmpty() ? "rwm" : d.access();
      rules.add(new CgroupResources.DeviceRule(d.allow(), type, d.major(), d.minor(), access));
    }
    b.devices(rules);
    b.unified(r.unified());
    return b.build();
  }

  private static List<CgroupResources.ThrottleDevice> throttle(List<LinuxBlockIo.ThrottleDevice> in) {
    List<CgroupResources.ThrottleDevice> out = new ArrayList<>();
    for (LinuxBlockIo.ThrottleDevice d : in) {
      out.add(new CgroupResources.ThrottleDevice(d.major(), d.minor(), d.rate()));
    }
    return out;
  }

  private static @Nullable String emptyToNull(@Nullable String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
