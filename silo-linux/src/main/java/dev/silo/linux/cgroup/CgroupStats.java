package dev.silo.linux.cgroup;

import java.util.Map;

/**
 * A point-in-time reading of one container's cgroup, the source of HCS {@code Statistics}
 * (Processor, Memory, Storage). Controllers that are not available read as zeros.
 */
public record CgroupStats(
    Cpu cpu, Memory memory, Pids pids, Blkio blkio, Map<String, Hugetlb> hugetlb) {

  public CgroupStats {
    hugetlb = Map.copyOf(hugetlb);
  }

  /** CPU time consumed by the cgroup, in nanoseconds. */
  public record Cpu(long usageTotalNs, long usageUserNs, long usageKernelNs) {
    static final Cpu NONE = new Cpu(0, 0, 0);
  }

  /**
   * Memory use in bytes.
   *
   * @param maxUsage peak usage (v2: {@code memory.peak}, 0 on kernels without it)
   * @param limit -1 = unlimited
   * @param cache page cache (v1 {@code cache}, v2 {@code file})
   * @param rss anonymous memory (v1 {@code rss}, v2 {@code anon})
   */
  public record Memory(long usage, long maxUsage, long limit, long cache, long rss) {
    static final Memory NONE = new Memory(0, 0, -1, 0, 0);
  }

  /** Task count and its limit (-1 = unlimited). */
  public record Pids(long current, long limit) {
    static final Pids NONE = new Pids(0, -1);
  }

  /** Block I/O summed over every device. */
  public record Blkio(long readBytes, long writeBytes, long readOps, long writeOps) {
    static final Blkio NONE = new Blkio(0, 0, 0, 0);
  }

  /** Huge page use for one page size (the map key, e.g. {@code 2MB}). */
  public record Hugetlb(long usage, long maxUsage, long failcnt) {}
}
