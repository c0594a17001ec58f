package dev.silo.linux.cgroup;

import static dev.silo.linux.cgroup.FakeHost.seed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Create/destroy, freezer, pids and stats against fake hierarchies. */
class CgroupLifecycleTest {
  @TempDir Path tmp;

  @Test
  void createMakesTheDirectoryInEveryHierarchyAndJoinsExistingOnes() throws IOException {
    FakeHost host = FakeHost.hybrid(tmp);
    seed(host.root.resolve("cpuset"), "cpuset.cpus", "0-1", "cpuset.mems", "0");
    seed(host.root.resolve("cpuset/c1"), "cpuset.cpus", "", "cpuset.mems", "");
    seed(host.root.resolve("memory/c1"), "cgroup.procs", "42\n"); // existing and populated
    Cgroup c = host.driver().create("/c1", "ignored");
    for (Path dir : c.paths().values()) {
      assertThat(dir).isDirectory();
    }
    assertThat(c.exists()).isTrue();
    assertThat(host.journal()).contains("unified/cgroup.subtree_control=+hugetlb");
  }

  @Test
  void createUndoesItsOwnMkdirsWhenAHierarchyFails() throws IOException {
    FakeHost host = FakeHost.empty(tmp).v1("memory", "memory", "/").v1("pids", "pids", "/");
    Files.writeString(host.root.resolve("pids/c1"), "not a directory");
    assertThatThrownBy(() -> host.driver().create("/c1", "ignored"))
        .isInstanceOf(CgroupException.class)
        .hasMessage(
            "cannot create cgroup: mkdir "
                + host.root.resolve("pids/c1")
                + ": File exists (not a directory)");
    assertThat(host.root.resolve("memory/c1")).doesNotExist();
  }

  @Test
  void destroyRemovesChildrenFirstAndToleratesMissingDirectories() throws IOException {
    FakeHost host = FakeHost.hybrid(tmp);
    Cgroup c = host.driver().open("/c1", "ignored");
    // real cgroupfs directories hold only kernel files that rmdir ignores; the fake holds none
    Files.createDirectories(host.root.resolve("memory/c1/child/grandchild"));
    Files.createDirectories(host.root.resolve("pids/c1"));
    c.destroy();
    assertThat(host.root.resolve("memory/c1")).doesNotExist();
    assertThat(host.root.resolve("pids/c1")).doesNotExist();
    assertThat(c.exists()).isFalse();
    c.destroy();
  }

  @Test
  void destroyFailureNamesTheDirectory() throws IOException {
    FakeHost host = FakeHost.empty(tmp).v1("memory", "memory", "/");
    seed(host.root.resolve("memory/c1"), "stray", "x");
    Cgroup c = host.driver().open("/c1", "ignored");
    assertThatThrownBy(c::destroy)
        .isInstanceOf(CgroupException.class)
        .hasMessage(
            "cannot destroy cgroup: rmdir "
                + host.root.resolve("memory/c1")
                + ": Directory not empty");
  }

  @Test
  void v1FreezerWritesFrozenAndThawedAndReadsTheState() throws IOException {
    FakeHost host = FakeHost.hybrid(tmp);
    Cgroup c = host.driver().open("/c1", "ignored");
    seed(host.root.resolve("freezer/c1"), "freezer.state", "THAWED");
    assertThat(c.isFrozen()).isFalse();
    c.freeze();
    assertThat(c.isFrozen()).isTrue();
    c.thaw();
    assertThat(host.journal())
        .containsExactly("freezer/c1/freezer.state=FROZEN", "freezer/c1/freezer.state=THAWED");
  }

  @Test
  void v2FreezerWritesCgroupFreezeAndWaitsForCgroupEvents() throws IOException {
    FakeHost host = FakeHost.v2(tmp);
    Cgroup c = host.driver().open("/c1", "ignored");
    Path dir =
        seed(
            host.root.resolve("c1"),
            "cgroup.freeze",
            "0",
            "cgroup.events",
            "populated 1\nfrozen 1\n");
    c.freeze();
    assertThat(c.isFrozen()).isTrue();
    seed(dir, "cgroup.events", "populated 1\nfrozen 0\n");
    c.thaw();
    assertThat(c.isFrozen()).isFalse();
    assertThat(host.journal()).containsExactly("c1/cgroup.freeze=1", "c1/cgroup.freeze=0");
  }

  @Test
  void pidsAreCollectedRecursivelyFromThePidsHierarchy() throws IOException {
    FakeHost host = FakeHost.hybrid(tmp);
    Cgroup c = host.driver().open("/c1", "ignored");
    seed(host.root.resolve("pids/c1"), "cgroup.procs", "10\n11\n");
    seed(host.root.resolve("pids/c1/sub"), "cgroup.procs", "12\n");
    seed(host.root.resolve("memory/c1"), "cgroup.procs", "99\n"); // not the primary hierarchy
    assertThat(c.pids()).containsExactlyInAnyOrder(10, 11, 12);
    assertThat(host.driver().open("/gone", "x").pids()).isEmpty();
  }

  @Test
  void v1StatsFromCpuacctMemoryPidsBlkioHugetlb() throws IOException {
    FakeHost host = FakeHost.v1(tmp);
    Cgroup c = host.driver().open("/c1", "ignored");
    seed(
        host.root.resolve("cpu,cpuacct/c1"),
        "cpuacct.usage",
        "5000",
        "cpuacct.stat",
        "user 3\nsystem 1\n");
    seed(
        host.root.resolve("memory/c1"),
        "memory.usage_in_bytes",
        "4096",
        "memory.max_usage_in_bytes",
        "8192",
        "memory.limit_in_bytes",
        "9223372036854771712",
        "memory.stat",
        "cache 100\nrss 200\ntotal_cache 300\ntotal_rss 400\n");
    seed(host.root.resolve("pids/c1"), "pids.current", "3", "pids.max", "max");
    seed(
        host.root.resolve("blkio/c1"),
        "blkio.throttle.io_service_bytes_recursive",
        "8:0 Read 10\n8:0 Write 20\n8:16 Read 1\n8:0 Total 30\nTotal 31\n",
        "blkio.throttle.io_serviced_recursive",
        "8:0 Read 2\n8:0 Write 3\nTotal 5\n");
    seed(
        host.root.resolve("hugetlb/c1"),
        "hugetlb.2MB.usage_in_bytes",
        "2097152",
        "hugetlb.2MB.max_usage_in_bytes",
        "4194304",
        "hugetlb.2MB.failcnt",
        "1",
        "hugetlb.2MB.limit_in_bytes",
        "0");
    CgroupStats s = c.stats();
    assertThat(s.cpu()).isEqualTo(new CgroupStats.Cpu(5000, 30_000_000, 10_000_000));
    assertThat(s.memory()).isEqualTo(new CgroupStats.Memory(4096, 8192, -1, 300, 400));
    assertThat(s.pids()).isEqualTo(new CgroupStats.Pids(3, -1));
    assertThat(s.blkio()).isEqualTo(new CgroupStats.Blkio(11, 20, 2, 3));
    assertThat(s.hugetlb())
        .containsExactlyEntriesOf(
            java.util.Map.of("2MB", new CgroupStats.Hugetlb(2097152, 4194304, 1)));
  }

  @Test
  void v1CpuPrefersNanosecondUserAndSystemFiles() throws IOException {
    FakeHost host = FakeHost.empty(tmp).v1("cpuacct", "cpuacct", "/");
    Cgroup c = host.driver().open("/c1", "ignored");
    seed(
        host.root.resolve("cpuacct/c1"),
        "cpuacct.usage",
        "900",
        "cpuacct.usage_user",
        "600",
        "cpuacct.usage_sys",
        "250",
        "cpuacct.stat",
        "user 99\nsystem 99\n");
    assertThat(c.stats().cpu()).isEqualTo(new CgroupStats.Cpu(900, 600, 250));
  }

  @Test
  void v2StatsFromCpuStatMemoryIoHugetlb() throws IOException {
    FakeHost host = FakeHost.v2(tmp);
    Cgroup c = host.driver().open("/c1", "ignored");
    seed(
        host.root.resolve("c1"),
        "cpu.stat",
        "usage_usec 7\nuser_usec 5\nsystem_usec 2\n",
        "memory.current",
        "4096",
        "memory.peak",
        "8192",
        "memory.max",
        "max",
        "memory.stat",
        "anon 400\nfile 300\n",
        "pids.current",
        "2",
        "pids.max",
        "64",
        "io.stat",
        """
            8:0 rbytes=10 wbytes=20 rios=1 wios=2 dbytes=0 dios=0
            8:16 rbytes=5 wbytes=0 rios=1 wios=0 dbytes=0 dios=0
            """,
        "hugetlb.2MB.current",
        "0",
        "hugetlb.2MB.max",
        "max",
        "hugetlb.2MB.events",
        "max 4\n");
    CgroupStats s = c.stats();
    assertThat(s.cpu()).isEqualTo(new CgroupStats.Cpu(7000, 5000, 2000));
    assertThat(s.memory()).isEqualTo(new CgroupStats.Memory(4096, 8192, -1, 300, 400));
    assertThat(s.pids()).isEqualTo(new CgroupStats.Pids(2, 64));
    assertThat(s.blkio()).isEqualTo(new CgroupStats.Blkio(15, 20, 2, 2));
    assertThat(s.hugetlb()).containsEntry("2MB", new CgroupStats.Hugetlb(0, 0, 4));
  }
}
