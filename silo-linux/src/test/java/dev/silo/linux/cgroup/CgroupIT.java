package dev.silo.linux.cgroup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.silo.linux.LinuxFeatures;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Real-kernel cgroup tests: root on this host, every directory and process removed afterwards. */
class CgroupIT {
  private static final Path CGROUP_ROOT = Path.of("/sys/fs/cgroup");
  private static final long MIB = 1024 * 1024;

  private final String name =
      "silo-test-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
  private Set<Path> before = Set.of();
  private Set<String> subtreeBefore = Set.of();
  private @Nullable Process process;
  private @Nullable Cgroup cgroup;

  @BeforeEach
  void listTestCgroups() throws IOException {
    assertThat(LinuxFeatures.isRoot()).as("CgroupIT needs root").isTrue();
    before = testCgroups();
    subtreeBefore = unifiedSubtree();
  }

  @AfterEach
  void cleanUp() throws Exception {
    if (process != null) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
    if (cgroup != null) {
      cgroup.destroy();
    }
    assertThat(testCgroups()).as("silo-test-* cgroups left behind").isEqualTo(before);
    restoreUnifiedSubtree();
  }

  /** Hybrid: create() enables v2-only controllers (hugetlb) at the cgroup2 root, as runc does. */
  private static Path unifiedSubtreeControl() {
    return CGROUP_ROOT.resolve("unified/cgroup.subtree_control");
  }

  private static Set<String> unifiedSubtree() throws IOException {
    Path file = unifiedSubtreeControl();
    if (!Files.exists(file)) {
      return Set.of();
    }
    return Set.of(Files.readString(file).trim().split(" ", -1));
  }

  /** Best effort: another user of the hierarchy may still need the controller (EBUSY). */
  private void restoreUnifiedSubtree() throws IOException {
    for (String controller : unifiedSubtree()) {
      if (!controller.isEmpty() && !subtreeBefore.contains(controller)) {
        // Best effort, bounded: the removed child dies asynchronously and pins the controller
        // for a moment, and other users of the shared cgroup2 root may keep it enabled.
        long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (!tryDisable(controller) && System.nanoTime() < deadline) {
          java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
        }
      }
    }
  }

  /** Every silo-test-* directory at the top of every mounted hierarchy. */
  private static Set<Path> testCgroups() throws IOException {
    Set<Path> found = new TreeSet<>();
    List<Path> roots =
        Files.isRegularFile(CGROUP_ROOT.resolve("cgroup.procs"))
            ? List.of(CGROUP_ROOT)
            : listDirs(CGROUP_ROOT);
    for (Path root : roots) {
      for (Path dir : listDirs(root)) {
        if (dir.getFileName().toString().startsWith("silo-test-")) {
          found.add(dir);
        }
      }
    }
    return found;
  }

  private static List<Path> listDirs(Path dir) throws IOException {
    try (Stream<Path> list = Files.list(dir)) {
      return list.filter(Files::isDirectory).toList();
    }
  }

  private static boolean tryDisable(String controller) {
    try {
      Files.writeString(unifiedSubtreeControl(), "-" + controller);
      return true;
    } catch (IOException stillInUse) {
      return false;
    }
  }

  @Test
  void detectsTheHostFlavourFromMountinfo() throws IOException {
    CgroupDriver driver = CgroupDriver.detect();
    String rootType = Files.getFileStore(CGROUP_ROOT).type();
    Path unified = CGROUP_ROOT.resolve("unified");
    String expected =
        rootType.equals("cgroup2")
            ? "v2"
            : Files.isDirectory(unified) && Files.getFileStore(unified).type().equals("cgroup2")
                ? "hybrid"
                : "v1";
    assertThat(driver.name()).isEqualTo(expected);
    assertThat(driver.isApplicable()).isTrue();
  }

  @Test
  void appliesLimitsRunsFreezesAndDestroysARealProcess() throws Exception {
    CgroupDriver driver = CgroupDriver.detect();
    Cgroup c = driver.create("/" + name, "ignored");
    cgroup = c;
    assertThat(c.exists()).isTrue();
    assertThat(c.paths()).containsKeys("memory", "cpu", "pids", "cpuset");
    c.paths().values().forEach(dir -> assertThat(dir).isDirectory().endsWith(Path.of(name)));

    c.apply(
        CgroupResources.builder()
            .memoryLimit(64 * MIB)
            .memorySwap(128 * MIB)
            .cpuShares(512L)
            .cpuQuota(50_000L)
            .cpuPeriod(100_000L)
            .pidsLimit(32L)
            .cpusetCpus("0")
            .cpusetMems("0")
            .build());
    assertLimits(c);

    Process p =
        new ProcessBuilder(
                "/bin/sh",
                "-c",
                "read go; i=0; while [ $i -lt 30000 ]; do i=$((i+1)); done; exec /bin/sleep 30")
            .start();
    process = p;
    int pid = Math.toIntExact(p.pid());
    for (Path procs : c.procsFiles()) {
      Files.writeString(procs, Integer.toString(pid));
    }
    try (OutputStream stdin = p.getOutputStream()) {
      stdin.write("go\n".getBytes(StandardCharsets.US_ASCII));
    }
    assertThat(c.pids()).containsExactly(pid);
    await(
        "cpu and memory charged to the cgroup",
        () -> {
          CgroupStats s = stats(c);
          // user/kernel are sampled at ticks, the total is exact: wait for both to show the loop
          return s.cpu().usageTotalNs() > 0
              && s.memory().usage() > 0
              && s.cpu().usageUserNs() + s.cpu().usageKernelNs() > 0;
        });
    CgroupStats stats = c.stats();
    assertThat(stats.pids().current()).isEqualTo(1);
    assertThat(stats.pids().limit()).isEqualTo(32);
    assertThat(stats.memory().limit()).isEqualTo(64 * MIB);
    assertThat(stats.memory().usage()).isPositive().isLessThanOrEqualTo(64 * MIB);

    freezeAndThaw(c, pid);

    p.destroyForcibly();
    assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
    await("killed process gone from the cgroup", () -> pids(c).isEmpty());
    c.destroy();
    assertThat(c.exists()).isFalse();
    c.paths().values().forEach(dir -> assertThat(dir).doesNotExist());
    c.destroy(); // already gone: fine
  }

  private static void freezeAndThaw(Cgroup c, int pid) throws IOException {
    c.freeze();
    assertThat(c.isFrozen()).isTrue();
    assertThat(freezerState(c)).isEqualTo("FROZEN");
    assertThat(c.pids()).containsExactly(pid);
    c.thaw();
    assertThat(c.isFrozen()).isFalse();
    assertThat(freezerState(c)).isEqualTo("THAWED");
  }

  private static void assertLimits(Cgroup c) throws IOException {
    Map<String, Path> paths = c.paths();
    Path memory = paths.get("memory");
    Path cpu = paths.get("cpu");
    if (memory == null || cpu == null) {
      throw new AssertionError("memory or cpu controller missing: " + paths);
    }
    if (Files.exists(memory.resolve("memory.limit_in_bytes"))) { // v1
      assertThat(read(memory, "memory.limit_in_bytes")).isEqualTo(Long.toString(64 * MIB));
      assertThat(read(memory, "memory.memsw.limit_in_bytes")).isEqualTo(Long.toString(128 * MIB));
      assertThat(read(cpu, "cpu.shares")).isEqualTo("512");
      assertThat(read(cpu, "cpu.cfs_quota_us")).isEqualTo("50000");
      assertThat(read(cpu, "cpu.cfs_period_us")).isEqualTo("100000");
    } else {
      assertThat(read(memory, "memory.max")).isEqualTo(Long.toString(64 * MIB));
      assertThat(read(memory, "memory.swap.max")).isEqualTo(Long.toString(64 * MIB));
      assertThat(read(cpu, "cpu.weight")).isEqualTo("20");
      assertThat(read(cpu, "cpu.max")).isEqualTo("50000 100000");
    }
    assertThat(read(paths.get("pids"), "pids.max")).isEqualTo("32");
    assertThat(read(paths.get("cpuset"), "cpuset.cpus")).isEqualTo("0");
    assertThat(read(paths.get("cpuset"), "cpuset.mems")).isEqualTo("0");
  }

  @Test
  void hugetlbLimitLandsInWhicheverHierarchyHoldsHugetlb() throws IOException {
    assertThat(Path.of("/sys/kernel/mm/hugepages/hugepages-2048kB")).isDirectory();
    Cgroup c = CgroupDriver.detect().create("/" + name, "ignored");
    cgroup = c;
    c.apply(CgroupResources.builder().hugepageLimits(Map.of("2MB", 4 * MIB)).build());
    Path dir = path(c, "hugetlb");
    String file =
        Files.exists(dir.resolve("hugetlb.2MB.max"))
            ? "hugetlb.2MB.max"
            : "hugetlb.2MB.limit_in_bytes";
    assertThat(read(dir, file)).isEqualTo(Long.toString(4 * MIB));
    assertThat(c.stats().hugetlb()).containsKey("2MB");
  }

  @Test
  void v1DeviceRulesBecomeTheWhitelist() throws IOException {
    CgroupDriver driver = CgroupDriver.detect();
    Cgroup c = driver.create("/" + name, "ignored");
    cgroup = c;
    CgroupResources rules =
        CgroupResources.builder()
            .devices(
                List.of(
                    new CgroupResources.DeviceRule(true, "c", 1L, 3L, "rwm"),
                    new CgroupResources.DeviceRule(true, "c", 136L, null, "rw")))
            .build();
    Path devices = c.paths().get("devices");
    if (devices == null) { // pure v2: only BPF could do this, and that is reported
      assertThatThrownBy(() -> c.apply(rules)).hasMessageContaining("BPF_CGROUP_DEVICE");
      return;
    }
    c.apply(rules);
    assertThat(read(devices, "devices.list").lines()).containsExactly("c 1:3 rwm", "c 136:* rw");
  }

  @Test
  void kernelRejectionNamesTheFile() throws IOException {
    Cgroup c = CgroupDriver.detect().create("/" + name, "ignored");
    cgroup = c;
    Path cpuset = path(c, "cpuset");
    assertThatThrownBy(() -> c.apply(CgroupResources.builder().cpusetCpus("4000").build()))
        .isInstanceOf(CgroupException.class)
        .hasMessageStartingWith(
            "cannot set cpuset cpus: write " + cpuset.resolve("cpuset.cpus") + ": ")
        // the errno text varies by kernel: ERANGE beyond nr_cpu_ids, EINVAL outside the parent
        .hasMessageMatching(".*: (Invalid argument|Numerical result out of range)");
  }

  @Test
  void createJoinsAnExistingCgroupAndNestedOnesAreRemovedChildrenFirst() throws IOException {
    CgroupDriver driver = CgroupDriver.detect();
    Cgroup parent = driver.create("/" + name, "ignored");
    cgroup = parent;
    Cgroup child = driver.create("/" + name + "/inner", "ignored");
    assertThat(driver.create("/" + name, "again").paths()).isEqualTo(parent.paths());
    assertThat(child.exists()).isTrue();
    // cpuset cpus/mems were copied down level by level, or nothing could join the child
    Path childCpuset = path(child, "cpuset");
    if (Files.exists(childCpuset.resolve("cpuset.effective_cpus"))
        && Files.exists(CGROUP_ROOT.resolve("cpuset/cpuset.cpus"))) {
      assertThat(read(childCpuset, "cpuset.cpus")).isNotEmpty();
    }
    parent.destroy();
    assertThat(child.exists()).isFalse();
    assertThat(parent.exists()).isFalse();
  }

  private static String freezerState(Cgroup c) throws IOException {
    Path freezer = c.paths().get("freezer");
    if (freezer != null) {
      return read(freezer, "freezer.state");
    }
    return c.isFrozen() ? "FROZEN" : "THAWED";
  }

  private static String read(@Nullable Path dir, String file) throws IOException {
    if (dir == null) {
      throw new AssertionError("controller missing for " + file);
    }
    return Files.readString(dir.resolve(file)).trim();
  }

  private static Path path(Cgroup c, String controller) {
    Path dir = c.paths().get(controller);
    if (dir == null) {
      throw new AssertionError("no " + controller + " controller in " + c.paths());
    }
    return dir;
  }

  private static CgroupStats stats(Cgroup c) {
    try {
      return c.stats();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static List<Integer> pids(Cgroup c) {
    try {
      return c.pids();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** Polls a condition with a bounded timeout (no fixed sleeps). */
  private static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.onSpinWait();
      java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
    }
  }
}
