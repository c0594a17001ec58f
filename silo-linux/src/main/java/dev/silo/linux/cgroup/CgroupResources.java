package dev.silo.linux.cgroup;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Everything OCI {@code linux.resources} can say, as plain Java values; null = not set, leave the
 * kernel's value alone. The Windows counterpart is the job object's limits (HCS Processor/Memory/
 * StorageQoS). Validated here, before anything is written, so a bad spec never half-applies.
 *
 * @param memoryLimit bytes, -1 = unlimited
 * @param memorySwap memory + swap in bytes (OCI/v1 meaning), -1 = unlimited
 * @param memorySwappiness 0..100, -1 = kernel default
 * @param cpuQuota microseconds per period, -1 = unlimited
 * @param cpuIdle 0 or 1 (SCHED_IDLE for the whole cgroup)
 * @param pidsLimit maximum tasks, -1 or 0 = unlimited (as runc)
 * @param hugepageLimits OCI page size ({@code 2MB}, {@code 1GB}) to bytes, -1 = unlimited
 * @param devices device cgroup rules, applied in order after denying everything (v1)
 * @param unified raw cgroup v2 files to write, name to value
 */
public record CgroupResources(
    @Nullable Long memoryLimit,
    @Nullable Long memoryReservation,
    @Nullable Long memorySwap,
    @Nullable Long memorySwappiness,
    @Nullable Boolean disableOomKiller,
    @Nullable Long cpuShares,
    @Nullable Long cpuQuota,
    @Nullable Long cpuPeriod,
    @Nullable Long cpuBurst,
    @Nullable Long cpuRealtimeRuntime,
    @Nullable Long cpuRealtimePeriod,
    @Nullable String cpusetCpus,
    @Nullable String cpusetMems,
    @Nullable Long cpuIdle,
    @Nullable Long pidsLimit,
    @Nullable Integer blkioWeight,
    @Nullable Integer blkioLeafWeight,
    List<WeightDevice> blkioWeightDevice,
    List<ThrottleDevice> blkioThrottleReadBpsDevice,
    List<ThrottleDevice> blkioThrottleWriteBpsDevice,
    List<ThrottleDevice> blkioThrottleReadIopsDevice,
    List<ThrottleDevice> blkioThrottleWriteIopsDevice,
    Map<String, Long> hugepageLimits,
    List<DeviceRule> devices,
    Map<String, String> unified) {

  public CgroupResources {
    blkioWeightDevice = List.copyOf(blkioWeightDevice);
    blkioThrottleReadBpsDevice = List.copyOf(blkioThrottleReadBpsDevice);
    blkioThrottleWriteBpsDevice = List.copyOf(blkioThrottleWriteBpsDevice);
    blkioThrottleReadIopsDevice = List.copyOf(blkioThrottleReadIopsDevice);
    blkioThrottleWriteIopsDevice = List.copyOf(blkioThrottleWriteIopsDevice);
    hugepageLimits = Map.copyOf(hugepageLimits);
    devices = List.copyOf(devices);
    unified = Map.copyOf(unified);
    if (memorySwappiness != null && (memorySwappiness < -1 || memorySwappiness > 100)) {
      throw new IllegalArgumentException(
          "invalid memory swappiness " + memorySwappiness + ": valid range is 0-100");
    }
    if (blkioWeight != null && (blkioWeight < 10 || blkioWeight > 1000)) {
      throw new IllegalArgumentException("invalid blkio weight " + blkioWeight + ": range 10-1000");
    }
    if (cpuIdle != null && cpuIdle != 0 && cpuIdle != 1) {
      throw new IllegalArgumentException("invalid cpu idle " + cpuIdle + ": must be 0 or 1");
    }
    checkCpuList("cpuset cpus", cpusetCpus);
    checkCpuList("cpuset mems", cpusetMems);
    for (String size : hugepageLimits.keySet()) {
      if (!isPageSize(size)) {
        throw new IllegalArgumentException("invalid hugepage size " + size + " (want e.g. 2MB)");
      }
    }
    for (String key : unified.keySet()) {
      if (key.isEmpty() || key.contains("/") || key.equals(".") || key.equals("..")) {
        throw new IllegalArgumentException("invalid unified cgroup file name " + key);
      }
    }
  }

  private static void checkCpuList(String what, @Nullable String list) {
    if (list != null && !onlyChars(list, "0123456789,- \t\n\u000B\f\r")) {
      throw new IllegalArgumentException("invalid " + what + " list " + list);
    }
  }

  // Checks by hand, not java.util.regex: these run on every runhcs create, and a regex put ~30
  // classes into every runhcs start-up through the AOT cache.

  /** {@code [0-9]+[KMG]B}. */
  private static boolean isPageSize(String s) {
    int n = s.length();
    if (n < 3 || s.charAt(n - 1) != 'B' || "KMG".indexOf(s.charAt(n - 2)) < 0) {
      return false;
    }
    return onlyChars(s.substring(0, n - 2), "0123456789");
  }

  static boolean onlyChars(String s, String allowed) {
    for (int i = 0; i < s.length(); i++) {
      if (allowed.indexOf(s.charAt(i)) < 0) {
        return false;
      }
    }
    return true;
  }

  /** No limits at all. */
  public static CgroupResources empty() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  boolean hasMemory() {
    return memoryLimit != null
        || memoryReservation != null
        || memorySwap != null
        || memorySwappiness != null
        || Boolean.TRUE.equals(disableOomKiller);
  }

  boolean hasCpu() {
    return cpuShares != null
        || cpuQuota != null
        || cpuPeriod != null
        || cpuBurst != null
        || cpuRealtimeRuntime != null
        || cpuRealtimePeriod != null
        || cpuIdle != null;
  }

  boolean hasCpuset() {
    return (cpusetCpus != null && !cpusetCpus.isBlank())
        || (cpusetMems != null && !cpusetMems.isBlank());
  }

  boolean hasBlkio() {
    return blkioWeight != null
        || blkioLeafWeight != null
        || !blkioWeightDevice.isEmpty()
        || !blkioThrottleReadBpsDevice.isEmpty()
        || !blkioThrottleWriteBpsDevice.isEmpty()
        || !blkioThrottleReadIopsDevice.isEmpty()
        || !blkioThrottleWriteIopsDevice.isEmpty();
  }

  /** One proportional-weight entry for a block device. */
  public record WeightDevice(
      long major, long minor, @Nullable Integer weight, @Nullable Integer leafWeight) {}

  /** One bytes- or operations-per-second limit for a block device. */
  public record ThrottleDevice(long major, long minor, long rate) {}

  /**
   * One device cgroup rule, as OCI {@code linux.resources.devices[]}.
   *
   * @param type {@code a} (all), {@code b} (block) or {@code c} (char)
   * @param major null = any
   * @param minor null = any
   * @param access a subset of {@code rwm}
   */
  public record DeviceRule(
      boolean allow, String type, @Nullable Long major, @Nullable Long minor, String access) {
    public DeviceRule {
      if (!type.equals("a") && !type.equals("b") && !type.equals("c")) {
        throw new IllegalArgumentException("invalid device type " + type + ": want a, b or c");
      }
      if (access.isEmpty() || !onlyChars(access, "rwm")) {
        throw new IllegalArgumentException("invalid device access " + access + ": want rwm");
      }
    }

    /** Allows every device with every access: the rule that makes device control a no-op. */
    public static DeviceRule allowAll() {
      return new DeviceRule(true, "a", null, null, "rwm");
    }

    boolean isAllowAll() {
      return allow
          && type.equals("a")
          && major == null
          && minor == null
          && access.length() == 3
          && access.contains("r")
          && access.contains("w")
          && access.contains("m");
    }

    /** The line v1 {@code devices.allow}/{@code devices.deny} expect, e.g. {@code c 1:3 rwm}. */
    String v1Line() {
      return type
          + " "
          + (major == null ? "*" : major)
          + ":"
          + (minor == null ? "*" : minor)
          + " "
          + access;
    }
  }

  /** Fluent builder; every setter replaces the value (collections are copied on build). */
  public static final class Builder {
    private @Nullable Long memoryLimit;
    private @Nullable Long memoryReservation;
    private @Nullable Long memorySwap;
    private @Nullable Long memorySwappiness;
    private @Nullable Boolean disableOomKiller;
    private @Nullable Long cpuShares;
    private @Nullable Long cpuQuota;
    private @Nullable Long cpuPeriod;
    private @Nullable Long cpuBurst;
    private @Nullable Long cpuRealtimeRuntime;
    private @Nullable Long cpuRealtimePeriod;
    private @Nullable String cpusetCpus;
    private @Nullable String cpusetMems;
    private @Nullable Long cpuIdle;
    private @Nullable Long pidsLimit;
    private @Nullable Integer blkioWeight;
    private @Nullable Integer blkioLeafWeight;
    private List<WeightDevice> blkioWeightDevice = List.of();
    private List<ThrottleDevice> blkioThrottleReadBpsDevice = List.of();
    private List<ThrottleDevice> blkioThrottleWriteBpsDevice = List.of();
    private List<ThrottleDevice> blkioThrottleReadIopsDevice = List.of();
    private List<ThrottleDevice> blkioThrottleWriteIopsDevice = List.of();
    private Map<String, Long> hugepageLimits = Map.of();
    private List<DeviceRule> devices = List.of();
    private Map<String, String> unified = Map.of();

    private Builder() {}

    private Builder(CgroupResources r) {
      memoryLimit = r.memoryLimit;
      memoryReservation = r.memoryReservation;
      memorySwap = r.memorySwap;
      memorySwappiness = r.memorySwappiness;
      disableOomKiller = r.disableOomKiller;
      cpuShares = r.cpuShares;
      cpuQuota = r.cpuQuota;
      cpuPeriod = r.cpuPeriod;
      cpuBurst = r.cpuBurst;
      cpuRealtimeRuntime = r.cpuRealtimeRuntime;
      cpuRealtimePeriod = r.cpuRealtimePeriod;
      cpusetCpus = r.cpusetCpus;
      cpusetMems = r.cpusetMems;
      cpuIdle = r.cpuIdle;
      pidsLimit = r.pidsLimit;
      blkioWeight = r.blkioWeight;
      blkioLeafWeight = r.blkioLeafWeight;
      blkioWeightDevice = r.blkioWeightDevice;
      blkioThrottleReadBpsDevice = r.blkioThrottleReadBpsDevice;
      blkioThrottleWriteBpsDevice = r.blkioThrottleWriteBpsDevice;
      blkioThrottleReadIopsDevice = r.blkioThrottleReadIopsDevice;
      blkioThrottleWriteIopsDevice = r.blkioThrottleWriteIopsDevice;
      hugepageLimits = r.hugepageLimits;
      devices = r.devices;
      unified = r.unified;
    }

    public Builder memoryLimit(@Nullable Long value) {
      memoryLimit = value;
      return this;
    }

    public Builder memoryReservation(@Nullable Long value) {
      memoryReservation = value;
      return this;
    }

    public Builder memorySwap(@Nullable Long value) {
      memorySwap = value;
      return this;
    }

    public Builder memorySwappiness(@Nullable Long value) {
      memorySwappiness = value;
      return this;
    }

    public Builder disableOomKiller(@Nullable Boolean value) {
      disableOomKiller = value;
      return this;
    }

    public Builder cpuShares(@Nullable Long value) {
      cpuShares = value;
      return this;
    }

    public Builder cpuQuota(@Nullable Long value) {
      cpuQuota = value;
      return this;
    }

    public Builder cpuPeriod(@Nullable Long value) {
      cpuPeriod = value;
      return this;
    }

    public Builder cpuBurst(@Nullable Long value) {
      cpuBurst = value;
      return this;
    }

    public Builder cpuRealtimeRuntime(@Nullable Long value) {
      cpuRealtimeRuntime = value;
      return this;
    }

    public Builder cpuRealtimePeriod(@Nullable Long value) {
      cpuRealtimePeriod = value;
      return this;
    }

    public Builder cpusetCpus(@Nullable String value) {
      cpusetCpus = value;
      return this;
    }

    public Builder cpusetMems(@Nullable String value) {
      cpusetMems = value;
      return this;
    }

    public Builder cpuIdle(@Nullable Long value) {
      cpuIdle = value;
      return this;
    }

    public Builder pidsLimit(@Nullable Long value) {
      pidsLimit = value;
      return this;
    }

    public Builder blkioWeight(@Nullable Integer value) {
      blkioWeight = value;
      return this;
    }

    public Builder blkioLeafWeight(@Nullable Integer value) {
      blkioLeafWeight = value;
      return this;
    }

    public Builder blkioWeightDevice(List<WeightDevice> value) {
      blkioWeightDevice = value;
      return this;
    }

    public Builder blkioThrottleReadBpsDevice(List<ThrottleDevice> value) {
      blkioThrottleReadBpsDevice = value;
      return this;
    }

    public Builder blkioThrottleWriteBpsDevice(List<ThrottleDevice> value) {
      blkioThrottleWriteBpsDevice = value;
      return this;
    }

    public Builder blkioThrottleReadIopsDevice(List<ThrottleDevice> value) {
      blkioThrottleReadIopsDevice = value;
      return this;
    }

    public Builder blkioThrottleWriteIopsDevice(List<ThrottleDevice> value) {
      blkioThrottleWriteIopsDevice = value;
      return this;
    }

    public Builder hugepageLimits(Map<String, Long> value) {
      hugepageLimits = value;
      return this;
    }

    public Builder devices(List<DeviceRule> value) {
      devices = value;
      return this;
    }

    public Builder unified(Map<String, String> value) {
      unified = value;
      return this;
    }

    public CgroupResources build() {
      return new CgroupResources(
          memoryLimit,
          memoryReservation,
          memorySwap,
          memorySwappiness,
          disableOomKiller,
          cpuShares,
          cpuQuota,
          cpuPeriod,
          cpuBurst,
          cpuRealtimeRuntime,
          cpuRealtimePeriod,
          cpusetCpus,
          cpusetMems,
          cpuIdle,
          pidsLimit,
          blkioWeight,
          blkioLeafWeight,
          blkioWeightDevice,
          blkioThrottleReadBpsDevice,
          blkioThrottleWriteBpsDevice,
          blkioThrottleReadIopsDevice,
          blkioThrottleWriteIopsDevice,
          hugepageLimits,
          devices,
          unified);
    }
  }
}
