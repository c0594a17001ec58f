package dev.silo.hcs.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.silo.linux.cgroup.CgroupResources;
import dev.silo.linux.cgroup.CgroupResources.DeviceRule;
import dev.silo.schema.json.Json;
import dev.silo.schema.json.JsonException;
import dev.silo.schema.oci.LinuxResources;
import dev.silo.schema.oci.OciSpecs;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/** OCI linux.resources to the cgroup drivers' record, with runc's default device rules. */
class ResourcesBridgeTest {
  /** runc's specconv AllowedDevices, in its order. */
  static final List<DeviceRule> RUNC_ALLOWED =
      List.of(
          new DeviceRule(true, "c", null, null, "m"), new DeviceRule(true, "b", null, null, "m"),
          new DeviceRule(true, "c", 1L, 3L, "rwm"), new DeviceRule(true, "c", 1L, 8L, "rwm"),
          new DeviceRule(true, "c", 1L, 7L, "rwm"), new DeviceRule(true, "c", 5L, 0L, "rwm"),
          new DeviceRule(true, "c", 1L, 5L, "rwm"), new DeviceRule(true, "c", 1L, 9L, "rwm"),
          new DeviceRule(true, "c", 5L, 1L, "rwm"), new DeviceRule(true, "c", 136L, null, "rwm"),
          new DeviceRule(true, "c", 5L, 2L, "rwm"), new DeviceRule(true, "c", 10L, 200L, "rwm"));

  static LinuxResources resources(String json) throws JsonException {
    return LinuxResources.fromJson(Json.parseObject(json, "resources"));
  }

  @Test
  void runcsDefaultDenyAllIsFollowedByItsAllowedDevices() {
    LinuxResources r =
        Objects.requireNonNull(Objects.requireNonNull(OciSpecs.defaultSpec().linux()).resources());

    CgroupResources c = ResourcesBridge.toCgroup(r);

    assertThat(c.devices().getFirst()).isEqualTo(new DeviceRule(false, "a", null, null, "rwm"));
    assertThat(c.devices().subList(1, c.devices().size())).containsExactlyElementsOf(RUNC_ALLOWED);
    assertThat(c.memoryLimit()).isNull();
    assertThat(c.pidsLimit()).isNull();
  }

  @Test
  void specRulesKeepTheirOrderAndRuncDefaultsFollowWithoutSpecDevices() throws JsonException {
    // runc's update.bats creates /dev/kmsg through linux.devices while denying it in the rules: the
    // nodes of linux.devices must not be allowed by themselves.
    LinuxResources r =
        resources(
            """
        {"devices": [{"allow": false, "access": "rwm"}, {"allow": true, "type": "c", "major": 4, "minor": 64},
                     {"allow": false, "type": "c", "major": 1, "minor": 11, "access": "rwa"}]}""");

    List<DeviceRule> rules = ResourcesBridge.toCgroup(r).devices();

    assertThat(rules.subList(0, 3))
        .containsExactly(
            new DeviceRule(false, "a", null, null, "rwm"),
            new DeviceRule(true, "c", 4L, 64L, "rwm"),
            new DeviceRule(false, "c", 1L, 11L, "rw"));
    assertThat(rules.subList(3, rules.size())).containsExactlyElementsOf(RUNC_ALLOWED);
  }

  @Test
  void noDeviceRulesLeavesDeviceControlAlone() throws JsonException {
    assertThat(ResourcesBridge.toCgroup(resources("{}")).devices()).isEmpty();
  }

  @Test
  void memoryCpuPidsAndHugepagesMapFieldForField() throws JsonException {
    LinuxResources r =
        resources(
            """
        {"memory": {"limit": 536870912, "reservation": 268435456, "swap": 1073741824, "swappiness": 10,
                    "disableOOMKiller": true},
         "cpu": {"shares": 512, "quota": 50000, "period": 100000, "burst": 1000, "realtimeRuntime": 950,
                 "realtimePeriod": 1000, "cpus": "0-1", "mems": "", "idle": 1},
         "pids": {"limit": 42},
         "hugepageLimits": [{"pageSize": "2MB", "limit": 4194304}],
         "unified": {"memory.high": "max"}}""");

    CgroupResources c = ResourcesBridge.toCgroup(r);

    assertThat(c.memoryLimit()).isEqualTo(536870912L);
    assertThat(c.memoryReservation()).isEqualTo(268435456L);
    assertThat(c.memorySwap()).isEqualTo(1073741824L);
    assertThat(c.memorySwappiness()).isEqualTo(10L);
    assertThat(c.disableOomKiller()).isTrue();
    assertThat(c.cpuShares()).isEqualTo(512L);
    assertThat(c.cpuQuota()).isEqualTo(50000L);
    assertThat(c.cpuPeriod()).isEqualTo(100000L);
    assertThat(c.cpuBurst()).isEqualTo(1000L);
    assertThat(c.cpuRealtimeRuntime()).isEqualTo(950L);
    assertThat(c.cpuRealtimePeriod()).isEqualTo(1000L);
    assertThat(c.cpusetCpus()).isEqualTo("0-1");
    assertThat(c.cpusetMems()).as("empty means unset").isNull();
    assertThat(c.cpuIdle()).isEqualTo(1L);
    assertThat(c.pidsLimit()).isEqualTo(42L);
    assertThat(c.hugepageLimits()).isEqualTo(Map.of("2MB", 4194304L));
    assertThat(c.unified()).isEqualTo(Map.of("memory.high", "max"));
  }

  @Test
  void blockIoWeightsAndThrottles() throws JsonException {
    LinuxResources r =
        resources(
            """
        {"blockIO": {"weight": 500, "leafWeight": 300,
          "weightDevice": [{"major": 8, "minor": 0, "weight": 600}],
          "throttleReadBpsDevice": [{"major": 8, "minor": 0, "rate": 1048576}],
          "throttleWriteBpsDevice": [{"major": 8, "minor": 16, "rate": 2097152}],
          "throttleReadIOPSDevice": [{"major": 8, "minor": 0, "rate": 100}],
          "throttleWriteIOPSDevice": [{"major": 8, "minor": 16, "rate": 200}]}}""");

    CgroupResources c = ResourcesBridge.toCgroup(r);

    assertThat(c.blkioWeight()).isEqualTo(500);
    assertThat(c.blkioLeafWeight()).isEqualTo(300);
    assertThat(c.blkioWeightDevice())
        .containsExactly(new CgroupResources.WeightDevice(8, 0, 600, null));
    assertThat(c.blkioThrottleReadBpsDevice())
        .containsExactly(new CgroupResources.ThrottleDevice(8, 0, 1048576));
    assertThat(c.blkioThrottleWriteBpsDevice())
        .containsExactly(new CgroupResources.ThrottleDevice(8, 16, 2097152));
    assertThat(c.blkioThrottleReadIopsDevice())
        .containsExactly(new CgroupResources.ThrottleDevice(8, 0, 100));
    assertThat(c.blkioThrottleWriteIopsDevice())
        .containsExactly(new CgroupResources.ThrottleDevice(8, 16, 200));
  }

  @Test
  void zeroBlockIoWeightMeansUnsetAsInRunc() throws JsonException {
    // dockerd 20.10 sends this for every container without --blkio-weight; 0 is outside the
    // kernel's 10-1000 range, so treating it as a value made every docker run fail.
    LinuxResources r =
        resources(
            """
        {"blockIO": {"weight": 0, "leafWeight": 0,
          "weightDevice": [{"major": 8, "minor": 0, "weight": 0, "leafWeight": 0}]}}""");

    CgroupResources c = ResourcesBridge.toCgroup(r);

    assertThat(c.blkioWeight()).isNull();
    assertThat(c.blkioLeafWeight()).isNull();
    assertThat(c.blkioWeightDevice())
        .containsExactly(new CgroupResources.WeightDevice(8, 0, null, null));
  }

  @Test
  void zeroCpuAndMemoryValuesMeanUnsetAsInRunc() throws JsonException {
    // dockerd 20.10's spec for a plain `docker run`: writing cpu.shares 0 made every run fail.
    LinuxResources r =
        resources(
            """
        {"memory": {"limit": 0, "reservation": 0, "swap": 0, "disableOOMKiller": false},
         "cpu": {"shares": 0, "quota": 0, "period": 0, "realtimeRuntime": 0,
                 "realtimePeriod": 0}}""");

    CgroupResources c = ResourcesBridge.toCgroup(r);

    assertThat(c.memoryLimit()).isNull();
    assertThat(c.memoryReservation()).isNull();
    assertThat(c.memorySwap()).isNull();
    assertThat(c.cpuShares()).isNull();
    assertThat(c.cpuQuota()).isNull();
    assertThat(c.cpuPeriod()).isNull();
    assertThat(c.cpuRealtimeRuntime()).isNull();
    assertThat(c.cpuRealtimePeriod()).isNull();
  }
}
