package dev.silo.linux.cgroup;

import static dev.silo.linux.cgroup.FakeHost.seed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.silo.linux.cgroup.CgroupResources.DeviceRule;
import dev.silo.linux.cgroup.CgroupResources.ThrottleDevice;
import dev.silo.linux.cgroup.CgroupResources.WeightDevice;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The exact cgroup v2 files and values written, and runc's unit conversions. */
class V2ResourcesTest {
  @TempDir Path tmp;
  private FakeHost host;
  private Cgroup c;
  private Path dir;

  @BeforeEach
  void setUp() throws IOException {
    host = FakeHost.v2(tmp);
    c = host.driver().open("/c1", "ignored");
    dir =
        seed(
            host.root.resolve("c1"),
            "memory.max",
            "max",
            "memory.swap.max",
            "max",
            "memory.low",
            "0",
            "cpu.weight",
            "100",
            "cpu.max",
            "max 100000",
            "cpu.max.burst",
            "0",
            "cpu.idle",
            "0",
            "pids.max",
            "max",
            "io.weight",
            "default 100",
            "io.max",
            "",
            "hugetlb.2MB.max",
            "max",
            "cpuset.cpus",
            "",
            "cpuset.mems",
            "",
            "memory.high",
            "max");
  }

  @Test
  void sharesToWeightAsRunc() {
    assertThat(V2Resources.sharesToWeight(2)).isEqualTo(1);
    assertThat(V2Resources.sharesToWeight(1024)).isEqualTo(39);
    assertThat(V2Resources.sharesToWeight(262144)).isEqualTo(10000);
    assertThat(V2Resources.sharesToWeight(0)).isZero();
  }

  @Test
  void blkioWeightToIoWeightAsRunc() {
    assertThat(V2Resources.blkioToIoWeight(10)).isEqualTo(1);
    assertThat(V2Resources.blkioToIoWeight(500)).isEqualTo(4950);
    assertThat(V2Resources.blkioToIoWeight(1000)).isEqualTo(10000);
  }

  @Test
  void memorySwapIsConvertedToSwapAloneAndWrittenFirst() throws IOException {
    c.apply(
        CgroupResources.builder()
            .memoryLimit(200L)
            .memorySwap(300L)
            .memoryReservation(-1L)
            .build());
    assertThat(host.journal())
        .containsExactly("c1/memory.swap.max=100", "c1/memory.max=200", "c1/memory.low=max");
  }

  @Test
  void unlimitedMemoryMeansMaxForBoth() throws IOException {
    c.apply(CgroupResources.builder().memoryLimit(-1L).build());
    assertThat(host.journal()).containsExactly("c1/memory.swap.max=max", "c1/memory.max=max");
  }

  @Test
  void equalSwapAndMemoryDisablesSwap() throws IOException {
    c.apply(CgroupResources.builder().memoryLimit(200L).memorySwap(200L).build());
    assertThat(host.journal()).containsExactly("c1/memory.swap.max=0", "c1/memory.max=200");
  }

  @Test
  void impossibleSwapRequestsAreRejectedBeforeWriting() {
    assertThatThrownBy(() -> c.apply(CgroupResources.builder().memorySwap(300L).build()))
        .hasMessage("cannot set memory swap limit: a swap limit needs a memory limit");
    assertThatThrownBy(
            () -> c.apply(CgroupResources.builder().memoryLimit(300L).memorySwap(200L).build()))
        .hasMessage(
            "cannot set memory swap limit: memory+swap limit 200 must be >= memory limit" + " 300");
    assertThat(host.journal()).isEmpty();
  }

  @Test
  void missingSwapFileIsFineForMaxButNotForALimit() throws IOException {
    FakeHost noSwap = FakeHost.v2(tmp.resolve("noswap"));
    Cgroup cg = noSwap.driver().open("/c1", "ignored");
    seed(noSwap.root.resolve("c1"), "memory.max", "max");
    cg.apply(CgroupResources.builder().memoryLimit(-1L).build());
    assertThat(noSwap.journal()).containsExactly("c1/memory.max=max");
    assertThatThrownBy(
            () -> cg.apply(CgroupResources.builder().memoryLimit(100L).memorySwap(200L).build()))
        .hasMessageStartingWith(
            "cannot set memory swap limit: write "
                + noSwap.root.resolve("c1/memory.swap.max")
                + ": No such file or directory");
  }

  @Test
  void cpuWeightMaxBurstIdle() throws IOException {
    c.apply(
        CgroupResources.builder()
            .cpuShares(1024L)
            .cpuQuota(50_000L)
            .cpuPeriod(100_000L)
            .cpuBurst(1000L)
            .cpuIdle(0L)
            .build());
    assertThat(host.journal())
        .containsExactly(
            "c1/cpu.weight=39",
            "c1/cpu.max=50000 100000",
            "c1/cpu.max.burst=1000",
            "c1/cpu.idle=0");
  }

  @Test
  void cpuMaxKeepsTheQuotaWhenOnlyThePeriodChangesAndSaysMaxForUnlimited() throws IOException {
    seed(dir, "cpu.max", "20000 100000");
    c.apply(CgroupResources.builder().cpuPeriod(50_000L).build());
    c.apply(CgroupResources.builder().cpuQuota(-1L).build());
    assertThat(host.journal()).containsExactly("c1/cpu.max=20000 50000", "c1/cpu.max=max");
  }

  @Test
  void realtimeIsNotAvailableOnV2() {
    assertThatThrownBy(() -> c.apply(CgroupResources.builder().cpuRealtimeRuntime(5L).build()))
        .hasMessageStartingWith(
            "cannot set cpu realtime runtime/period: cgroup v2 has no realtime");
  }

  @Test
  void ioWeightIsConvertedAndThrottlesGoToIoMax() throws IOException {
    c.apply(
        CgroupResources.builder()
            .blkioWeight(500)
            .blkioWeightDevice(List.of(new WeightDevice(8, 0, 1000, 5)))
            .blkioThrottleReadBpsDevice(List.of(new ThrottleDevice(8, 0, 1048576)))
            .blkioThrottleWriteBpsDevice(List.of(new ThrottleDevice(8, 0, 0)))
            .blkioThrottleReadIopsDevice(List.of(new ThrottleDevice(8, 0, 10)))
            .blkioThrottleWriteIopsDevice(List.of(new ThrottleDevice(8, 0, 20)))
            .build());
    assertThat(host.journal())
        .containsExactly(
            "c1/io.weight=4950",
            "c1/io.weight=8:0 10000",
            "c1/io.max=8:0 rbps=1048576",
            "c1/io.max=8:0 wbps=max",
            "c1/io.max=8:0 riops=10",
            "c1/io.max=8:0 wiops=20");
  }

  @Test
  void bfqTakesTheV1WeightUnconverted() throws IOException {
    seed(dir, "io.bfq.weight", "100");
    c.apply(CgroupResources.builder().blkioWeight(500).build());
    assertThat(host.journal()).containsExactly("c1/io.bfq.weight=500");
  }

  @Test
  void deviceRulesNeedBpfUnlessTheyAllowEverything() throws IOException {
    c.apply(
        CgroupResources.builder()
            .devices(List.of(new DeviceRule(false, "a", null, null, "rwm"), DeviceRule.allowAll()))
            .build());
    assertThat(host.journal()).isEmpty();
    assertThatThrownBy(
            () ->
                c.apply(
                    CgroupResources.builder()
                        .devices(
                            List.of(
                                new DeviceRule(false, "a", null, null, "rwm"),
                                new DeviceRule(true, "c", 1L, 3L, "rwm")))
                        .build()))
        .isInstanceOf(CgroupException.class)
        .hasMessageContaining("BPF_CGROUP_DEVICE")
        .hasMessageContaining("not supported yet");
  }

  @Test
  void pidsCpusetHugetlbAndUnified() throws IOException {
    c.apply(
        CgroupResources.builder()
            .pidsLimit(10L)
            .cpusetCpus("0-1")
            .cpusetMems("0")
            .hugepageLimits(Map.of("2MB", -1L))
            .unified(Map.of("memory.high", "1000"))
            .build());
    assertThat(host.journal())
        .containsExactly(
            "c1/cpuset.cpus=0-1",
            "c1/cpuset.mems=0",
            "c1/pids.max=10",
            "c1/hugetlb.2MB.max=max",
            "c1/memory.high=1000");
  }

  @Test
  void createEnablesControllersInEveryAncestorButTheLeaf() throws IOException {
    seed(host.root.resolve("a"), "cgroup.subtree_control", "cpu");
    Cgroup nested = host.driver().create("/a/b/c2", "ignored");
    assertThat(nested.exists()).isTrue();
    List<String> enabled = host.journal();
    assertThat(enabled)
        .contains("cgroup.subtree_control=+memory", "a/cgroup.subtree_control=+io")
        .doesNotContain("a/cgroup.subtree_control=+cpu") // already on
        .noneMatch(line -> line.startsWith("a/b/c2/"));
    // a/b is new and has no subtree_control in the fake: best effort, no failure
    assertThat(enabled).noneMatch(line -> line.startsWith("a/b/cgroup"));
  }

  @Test
  void hybridUnifiedKeysMustBelongToCgroup2Controllers() throws IOException {
    FakeHost hybrid = FakeHost.hybrid(tmp.resolve("h"));
    Cgroup cg = hybrid.driver().open("/c1", "ignored");
    seed(hybrid.root.resolve("unified/c1"), "hugetlb.2MB.max", "max");
    cg.apply(CgroupResources.builder().unified(Map.of("hugetlb.2MB.max", "4096")).build());
    assertThat(hybrid.journal()).containsExactly("unified/c1/hugetlb.2MB.max=4096");
    assertThatThrownBy(
            () -> cg.apply(CgroupResources.builder().unified(Map.of("memory.high", "1")).build()))
        .hasMessage(
            "cannot set unified memory.high: the memory controller is not on cgroup v2 on"
                + " this hybrid host (it is bound to v1)");
  }

  @Test
  void hybridHugetlbGoesToTheUnifiedHierarchy() throws IOException {
    FakeHost hybrid = FakeHost.hybrid(tmp.resolve("h2"));
    Cgroup cg = hybrid.driver().open("/c1", "ignored");
    seed(hybrid.root.resolve("unified/c1"), "hugetlb.1GB.max", "max");
    cg.apply(CgroupResources.builder().hugepageLimits(Map.of("1GB", 1L << 30)).build());
    assertThat(hybrid.journal()).containsExactly("unified/c1/hugetlb.1GB.max=1073741824");
  }
}
