package dev.silo.linux.cgroup;

import static dev.silo.linux.cgroup.FakeHost.seed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.silo.linux.cgroup.CgroupResources.DeviceRule;
import dev.silo.linux.cgroup.CgroupResources.ThrottleDevice;
import dev.silo.linux.cgroup.CgroupResources.WeightDevice;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The exact v1 files and values written, in order, on the hybrid layout of this machine. */
class V1ResourcesTest {
  @TempDir Path tmp;
  private FakeHost host;
  private Cgroup c;

  @BeforeEach
  void setUp() throws IOException {
    host = FakeHost.hybrid(tmp);
    c = host.driver().open("/c1", "ignored");
  }

  private Path dir(String hierarchy) {
    return host.root.resolve(hierarchy).resolve("c1");
  }

  private void seedMemory(long currentLimit) {
    seed(
        dir("memory"),
        "memory.limit_in_bytes",
        Long.toString(currentLimit),
        "memory.memsw.limit_in_bytes",
        Long.toString(currentLimit),
        "memory.soft_limit_in_bytes",
        "0",
        "memory.oom_control",
        "0",
        "memory.swappiness",
        "60");
  }

  @Test
  void raisingMemoryWritesSwapFirst() throws IOException {
    seedMemory(100);
    c.apply(CgroupResources.builder().memoryLimit(200L).memorySwap(400L).build());
    assertThat(host.journal())
        .containsExactly(
            "memory/c1/memory.memsw.limit_in_bytes=400", "memory/c1/memory.limit_in_bytes=200");
  }

  @Test
  void loweringMemoryWritesTheLimitFirst() throws IOException {
    seedMemory(1000);
    c.apply(CgroupResources.builder().memoryLimit(200L).memorySwap(300L).build());
    assertThat(host.journal())
        .containsExactly(
            "memory/c1/memory.limit_in_bytes=200", "memory/c1/memory.memsw.limit_in_bytes=300");
  }

  @Test
  void unlimitedMemoryAlsoLiftsSwapWhenSwapIsAccounted() throws IOException {
    seedMemory(1000);
    c.apply(CgroupResources.builder().memoryLimit(-1L).build());
    assertThat(host.journal())
        .containsExactly(
            "memory/c1/memory.memsw.limit_in_bytes=-1", "memory/c1/memory.limit_in_bytes=-1");
  }

  @Test
  void reservationOomAndSwappiness() throws IOException {
    seedMemory(1000);
    c.apply(
        CgroupResources.builder()
            .memoryReservation(50L)
            .disableOomKiller(true)
            .memorySwappiness(10L)
            .build());
    assertThat(host.journal())
        .containsExactly(
            "memory/c1/memory.soft_limit_in_bytes=50",
            "memory/c1/memory.oom_control=1",
            "memory/c1/memory.swappiness=10");
  }

  @Test
  void swapWithoutSwapAccountingIsAnErrorOnlyWhenAsked() throws IOException {
    seed(dir("memory"), "memory.limit_in_bytes", "1000");
    c.apply(CgroupResources.builder().memoryLimit(-1L).build());
    assertThat(host.journal()).containsExactly("memory/c1/memory.limit_in_bytes=-1");
    assertThatThrownBy(() -> c.apply(CgroupResources.builder().memorySwap(10L).build()))
        .isInstanceOf(CgroupException.class)
        .hasMessage(
            "cannot set memory swap limit: "
                + dir("memory").resolve("memory.memsw.limit_in_bytes")
                + " does not exist: this kernel does not account swap"
                + " (boot with swapaccount=1)");
  }

  @Test
  void aFailedWriteNamesWhatAndTheFile() throws IOException {
    Files.createDirectories(dir("memory").resolve("memory.limit_in_bytes")); // EISDIR on write
    assertThatThrownBy(() -> c.apply(CgroupResources.builder().memoryLimit(5L).build()))
        .isInstanceOf(CgroupException.class)
        .hasMessageStartingWith(
            "cannot set memory limit: write "
                + dir("memory").resolve("memory.limit_in_bytes")
                + ": ")
        .satisfies(
            e ->
                assertThat(((CgroupException) e).file())
                    .isEqualTo(dir("memory").resolve("memory.limit_in_bytes")));
  }

  @Test
  void cpuWritesSharesPeriodBurstQuotaIdleThenRealtimePeriodBeforeRuntime() throws IOException {
    seed(
        dir("cpu"),
        "cpu.shares",
        "1024",
        "cpu.cfs_period_us",
        "100000",
        "cpu.cfs_quota_us",
        "-1",
        "cpu.cfs_burst_us",
        "0",
        "cpu.idle",
        "0",
        "cpu.rt_period_us",
        "1000000",
        "cpu.rt_runtime_us",
        "0");
    c.apply(
        CgroupResources.builder()
            .cpuShares(512L)
            .cpuPeriod(50_000L)
            .cpuQuota(25_000L)
            .cpuBurst(1000L)
            .cpuIdle(1L)
            .cpuRealtimePeriod(500_000L)
            .cpuRealtimeRuntime(1000L)
            .build());
    assertThat(host.journal())
        .containsExactly(
            "cpu/c1/cpu.shares=512",
            "cpu/c1/cpu.cfs_period_us=50000",
            "cpu/c1/cpu.cfs_burst_us=1000",
            "cpu/c1/cpu.cfs_quota_us=25000",
            "cpu/c1/cpu.idle=1",
            "cpu/c1/cpu.rt_period_us=500000",
            "cpu/c1/cpu.rt_runtime_us=1000");
  }

  @Test
  void cpusetIsWrittenAndInheritedFromParentsOnCreate() throws IOException {
    Path mount = host.root.resolve("cpuset");
    seed(mount, "cpuset.cpus", "0-1", "cpuset.mems", "0");
    // the kernel gives new cpusets empty cpus/mems; pre-create them as it would
    seed(mount.resolve("a"), "cpuset.cpus", "", "cpuset.mems", "");
    seed(mount.resolve("a/c1"), "cpuset.cpus", "", "cpuset.mems", "");
    Cgroup nested = host.driver().open("/a/c1", "ignored");
    nested.create();
    assertThat(host.journal())
        .containsSequence(
            "cpuset/a/cpuset.cpus=0-1",
            "cpuset/a/cpuset.mems=0",
            "cpuset/a/c1/cpuset.cpus=0-1",
            "cpuset/a/c1/cpuset.mems=0");
    nested.apply(CgroupResources.builder().cpusetCpus("1").cpusetMems("0").build());
    assertThat(FakeHost.read(mount.resolve("a/c1/cpuset.cpus"))).isEqualTo("1");
  }

  @Test
  void pidsLimitZeroOrNegativeMeansMax() throws IOException {
    seed(dir("pids"), "pids.max", "max");
    c.apply(CgroupResources.builder().pidsLimit(32L).build());
    c.apply(CgroupResources.builder().pidsLimit(-1L).build());
    c.apply(CgroupResources.builder().pidsLimit(0L).build());
    assertThat(host.journal())
        .containsExactly("pids/c1/pids.max=32", "pids/c1/pids.max=max", "pids/c1/pids.max=max");
  }

  @Test
  void blkioUsesBlkioWeightOrBfqAndThrottleFiles() throws IOException {
    seed(
        dir("blkio"),
        "blkio.bfq.weight",
        "100",
        "blkio.bfq.weight_device",
        "",
        "blkio.throttle.read_bps_device",
        "",
        "blkio.throttle.write_iops_device",
        "");
    c.apply(
        CgroupResources.builder()
            .blkioWeight(300)
            .blkioWeightDevice(List.of(new WeightDevice(8, 0, 500, null)))
            .blkioThrottleReadBpsDevice(List.of(new ThrottleDevice(8, 0, 1048576)))
            .blkioThrottleWriteIopsDevice(List.of(new ThrottleDevice(8, 16, 100)))
            .build());
    assertThat(host.journal())
        .containsExactly(
            "blkio/c1/blkio.bfq.weight=300",
            "blkio/c1/blkio.bfq.weight_device=8:0 500",
            "blkio/c1/blkio.throttle.read_bps_device=8:0 1048576",
            "blkio/c1/blkio.throttle.write_iops_device=8:16 100");
  }

  @Test
  void blkioWeightPrefersCfqWeightFileWhenPresent() throws IOException {
    seed(dir("blkio"), "blkio.weight", "500", "blkio.bfq.weight", "100");
    c.apply(CgroupResources.builder().blkioWeight(300).build());
    assertThat(host.journal()).containsExactly("blkio/c1/blkio.weight=300");
  }

  @Test
  void blkioWeightWithoutAWeightFileIsAClearError() throws IOException {
    seed(dir("blkio"), "blkio.throttle.read_bps_device", "");
    assertThatThrownBy(() -> c.apply(CgroupResources.builder().blkioWeight(300).build()))
        .isInstanceOf(CgroupException.class)
        .hasMessage(
            "cannot set blkio weight: neither blkio.weight nor blkio.bfq.weight exists in "
                + dir("blkio")
                + ": the block I/O scheduler has no proportional weight (use bfq)");
  }

  @Test
  void devicesDenyAllThenRulesInOrder() throws IOException {
    seed(dir("devices"), "devices.allow", "", "devices.deny", "");
    c.apply(
        CgroupResources.builder()
            .devices(
                List.of(
                    new DeviceRule(true, "c", 1L, 3L, "rwm"),
                    new DeviceRule(true, "c", 136L, null, "rw"),
                    new DeviceRule(false, "b", null, null, "m")))
            .build());
    assertThat(host.journal())
        .containsExactly(
            "devices/c1/devices.deny=a",
            "devices/c1/devices.allow=c 1:3 rwm",
            "devices/c1/devices.allow=c 136:* rw",
            "devices/c1/devices.deny=b *:* m");
  }

  @Test
  void hugetlbOnV1AndUnifiedRejectedForV1Controllers() throws IOException {
    FakeHost v1 = FakeHost.v1(tmp.resolve("v1"));
    Cgroup cg = v1.driver().open("/c1", "ignored");
    seed(v1.root.resolve("hugetlb/c1"), "hugetlb.2MB.limit_in_bytes", "0");
    cg.apply(CgroupResources.builder().hugepageLimits(Map.of("2MB", 4194304L)).build());
    assertThat(v1.journal()).containsExactly("hugetlb/c1/hugetlb.2MB.limit_in_bytes=4194304");
    assertThatThrownBy(
            () -> cg.apply(CgroupResources.builder().unified(Map.of("memory.high", "1")).build()))
        .hasMessage(
            "cannot set unified resources [memory.high]: cgroup v2 is not mounted on this"
                + " host");
  }

  @Test
  void missingControllerIsNamed() throws IOException {
    FakeHost only = FakeHost.empty(tmp.resolve("x")).v1("memory", "memory", "/");
    Cgroup cg = only.driver().open("/c1", "ignored");
    assertThatThrownBy(() -> cg.apply(CgroupResources.builder().pidsLimit(5L).build()))
        .hasMessage(
            "cannot set pids limit: the pids controller is not available: not mounted as"
                + " cgroup v1 and not enabled in cgroup v2 on this host");
  }
}
