package dev.silo.linux.cgroup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.silo.linux.cgroup.CgroupResources.DeviceRule;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CgroupResourcesTest {
  @Test
  void emptyAsksForNothing() {
    CgroupResources r = CgroupResources.empty();
    assertThat(r.hasMemory() || r.hasCpu() || r.hasCpuset() || r.hasBlkio()).isFalse();
    assertThat(r.devices()).isEmpty();
    assertThat(r.memoryLimit()).isNull();
  }

  @Test
  void toBuilderKeepsEveryValue() {
    CgroupResources r =
        CgroupResources.builder()
            .memoryLimit(1L)
            .cpuShares(2L)
            .cpusetCpus("0-1")
            .hugepageLimits(Map.of("2MB", 3L))
            .unified(Map.of("io.max", "x"))
            .build();
    assertThat(r.toBuilder().build()).isEqualTo(r);
    assertThat(r.toBuilder().pidsLimit(4L).build().pidsLimit()).isEqualTo(4L);
  }

  @Test
  void invalidValuesAreRejectedBeforeAnythingIsWritten() {
    assertThatThrownBy(() -> CgroupResources.builder().memorySwappiness(101L).build())
        .hasMessage("invalid memory swappiness 101: valid range is 0-100");
    assertThatThrownBy(() -> CgroupResources.builder().blkioWeight(5).build())
        .hasMessageContaining("invalid blkio weight 5");
    assertThatThrownBy(() -> CgroupResources.builder().cpusetCpus("0;rm").build())
        .hasMessageContaining("invalid cpuset cpus list 0;rm");
    assertThatThrownBy(() -> CgroupResources.builder().hugepageLimits(Map.of("2M", 1L)).build())
        .hasMessageContaining("invalid hugepage size 2M");
    assertThatThrownBy(() -> CgroupResources.builder().unified(Map.of("../x", "1")).build())
        .hasMessage("invalid unified cgroup file name ../x");
    assertThatThrownBy(() -> new DeviceRule(true, "x", null, null, "rwm"))
        .hasMessageContaining("invalid device type x");
    assertThatThrownBy(() -> new DeviceRule(true, "c", null, null, "rwx"))
        .hasMessageContaining("invalid device access rwx");
  }

  @Test
  void deviceRuleLinesUseStarForAny() {
    assertThat(new DeviceRule(true, "c", 1L, null, "rw").v1Line()).isEqualTo("c 1:* rw");
    assertThat(DeviceRule.allowAll().v1Line()).isEqualTo("a *:* rwm");
    assertThat(DeviceRule.allowAll().isAllowAll()).isTrue();
    assertThat(new DeviceRule(true, "a", null, null, "mwr").isAllowAll()).isTrue();
    assertThat(new DeviceRule(true, "a", null, null, "rw").isAllowAll()).isFalse();
  }
}
