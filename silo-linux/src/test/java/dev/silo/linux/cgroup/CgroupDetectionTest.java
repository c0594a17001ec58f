package dev.silo.linux.cgroup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CgroupDetectionTest {
  @TempDir Path tmp;

  @Test
  void hybridHostTakesV1ControllersAndHugetlbFromCgroup2() throws IOException {
    FakeHost host = FakeHost.hybrid(tmp);
    CgroupDriver driver = host.driver();

    assertThat(driver).isInstanceOf(HybridCgroupDriver.class);
    assertThat(driver.name()).isEqualTo("hybrid");
    Cgroup c = driver.open("/c1", "ignored");
    assertThat(c.paths())
        .containsEntry("cpu", host.root.resolve("cpu/c1"))
        .containsEntry("cpuacct", host.root.resolve("cpuacct/c1"))
        .containsEntry("name=systemd", host.root.resolve("systemd/c1"))
        .containsEntry("hugetlb", host.root.resolve("unified/c1"))
        .containsEntry("", host.root.resolve("unified/c1"))
        .doesNotContainKey("io");
    assertThat(c.procsFiles())
        .hasSize(10)
        .contains(
            host.root.resolve("memory/c1/cgroup.procs"),
            host.root.resolve("unified/c1/cgroup.procs"));
  }

  @Test
  void pureV2HostUsesTheOneHierarchyForEveryController() throws IOException {
    FakeHost host = FakeHost.v2(tmp);
    CgroupDriver driver = host.driver();

    assertThat(driver).isInstanceOf(CgroupV2Driver.class);
    assertThat(driver.name()).isEqualTo("v2");
    Cgroup c = driver.open("/c1", "ignored");
    assertThat(c.procsFiles()).containsExactly(host.root.resolve("c1/cgroup.procs"));
    assertThat(c.paths()).containsKeys("", "cpu", "memory", "io", "pids", "cpuset", "hugetlb");
  }

  @Test
  void pureV1HostSharesOneDirectoryBetweenCoMountedControllers() throws IOException {
    FakeHost host = FakeHost.v1(tmp);
    CgroupDriver driver = host.driver();

    assertThat(driver).isInstanceOf(CgroupV1Driver.class);
    assertThat(driver.name()).isEqualTo("v1");
    Cgroup c = driver.open("/c1", "ignored");
    Path cpu = host.root.resolve("cpu,cpuacct/c1");
    assertThat(c.paths())
        .containsEntry("cpu", cpu)
        .containsEntry("cpuacct", cpu)
        .doesNotContainKey("");
    assertThat(c.procsFiles()).hasSize(8).containsOnlyOnce(cpu.resolve("cgroup.procs"));
  }

  @Test
  void onlyTheDetectedDriverIsApplicable() throws IOException {
    CgroupLayout layout = CgroupLayout.read(FakeHost.hybrid(tmp).mountinfo, tmp.resolve("cgroup"));
    assertThat(new HybridCgroupDriver(layout, CgroupFiles.REAL).isApplicable()).isTrue();
    assertThat(new CgroupV1Driver(layout, CgroupFiles.REAL).isApplicable()).isFalse();
    assertThat(new CgroupV2Driver(layout, CgroupFiles.REAL).isApplicable()).isFalse();
  }

  @Test
  void noCgroupMountIsAClearError() {
    FakeHost host = FakeHost.empty(tmp);
    assertThatThrownBy(host::driver)
        .isInstanceOf(IOException.class)
        .hasMessageContaining("no cgroup filesystem is mounted");
  }

  @Test
  void emptyPathIsSlashContainerId() throws IOException {
    FakeHost host = FakeHost.hybrid(tmp);
    assertThat(host.driver().open("", "abc").paths())
        .containsEntry("memory", host.root.resolve("memory/abc"))
        .containsEntry("", host.root.resolve("unified/abc"));
  }

  @Test
  void relativePathGoesUnderThisProcessCgroupInEachHierarchy() throws IOException {
    FakeHost host =
        FakeHost.empty(tmp)
            .v1("memory", "memory", "/process_api/x")
            .v1("cpu", "cpu", "/")
            .v2("unified", "", "/user.slice/session-1.scope");
    Cgroup c = host.driver().open("silo/c1", "ignored");
    assertThat(c.paths())
        .containsEntry("memory", host.root.resolve("memory/process_api/x/silo/c1"))
        .containsEntry("cpu", host.root.resolve("cpu/silo/c1"))
        .containsEntry("", host.root.resolve("unified/user.slice/session-1.scope/silo/c1"));
  }

  @Test
  void absolutePathIgnoresThisProcessCgroup() throws IOException {
    FakeHost host = FakeHost.empty(tmp).v1("memory", "memory", "/process_api/x");
    assertThat(host.driver().open("/a/b", "ignored").paths())
        .containsEntry("memory", host.root.resolve("memory/a/b"));
  }

  @Test
  void mountRootIsStrippedFromTheOwnPath() throws IOException {
    // Inside a container the hierarchy is mounted from /docker/abc; /proc/self/cgroup shows the
    // full path, so only the part below the mount root may be joined to the mount point.
    Path mp = FakeHost.seed(tmp.resolve("cg/memory"));
    FakeHost host =
        FakeHost.empty(tmp)
            .mountinfo(
                List.of("40 31 0:33 /docker/abc " + mp + " rw - cgroup cgroup rw,memory"),
                List.of("4:memory:/docker/abc/sub"));
    assertThat(host.driver().open("c1", "ignored").paths())
        .containsEntry("memory", mp.resolve("sub/c1"));
  }

  @Test
  void octalEscapesInMountPointsAreDecoded() throws IOException {
    Path mp = FakeHost.seed(tmp.resolve("my cgroups/memory"));
    String escaped = mp.toString().replace(" ", "\\040");
    FakeHost host =
        FakeHost.empty(tmp)
            .mountinfo(
                List.of("40 31 0:33 / " + escaped + " rw shared:9 - cgroup cgroup rw,memory"),
                List.of("4:memory:/"));
    assertThat(host.driver().open("/c1", "ignored").paths())
        .containsEntry("memory", mp.resolve("c1"));
  }

  @Test
  void pathsThatEscapeTheHierarchyRootAreRejected() throws IOException {
    CgroupDriver driver = FakeHost.empty(tmp).v1("memory", "memory", "/process_api/x").driver();
    assertThatThrownBy(() -> driver.open("/../../etc", "c1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cgroup path /../../etc escapes the hierarchy root");
    assertThatThrownBy(() -> driver.open("../../../x", "c1"))
        .hasMessageContaining("cgroup path ../../../x escapes");
    assertThatThrownBy(() -> driver.open("", "..")).hasMessageContaining("cgroup path /.. escapes");
    assertThatThrownBy(() -> driver.open("/a/..", "c1"))
        .hasMessageContaining("is the root of the hierarchy");
    assertThat(driver.open("../y", "c1").paths())
        .containsEntry("memory", tmp.resolve("sys/fs/cgroup/memory/process_api/y"));
    assertThat(driver.open("/a/./b/../c", "c1").paths())
        .containsEntry("memory", tmp.resolve("sys/fs/cgroup/memory/a/c"));
  }
}
