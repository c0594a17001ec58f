package dev.silo.hcs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.silo.api.HResult;
import dev.silo.api.HcsException;
import dev.silo.linux.cgroup.CgroupDriver;
import dev.silo.schema.hcs.ComputeSystem;
import dev.silo.schema.hcs.Container;
import dev.silo.schema.hcs.Storage;
import dev.silo.schema.hcs.Version;
import dev.silo.schema.json.Json;
import dev.silo.schema.json.JsonException;
import dev.silo.schema.oci.OciSpecs;
import dev.silo.schema.oci.Spec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Layered containers on the real kernel: a bundle whose {@code windows.layerFolders} name a busybox
 * base layer, a top layer that adds and overrides files, and a scratch folder runs on an overlay
 * root; Hyper-V documents fail cleanly. Every test compares mounts, state and cgroups before and
 * after.
 */
class LayeredContainerIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  private static Path base;
  private static Path baseLayer;
  private static Path topLayer;

  private ComputeService hcs;
  private Path scratch;
  private Path out;
  private List<String> mountsBefore;
  private final List<String> ids = new ArrayList<>();

  @BeforeAll
  static void buildLayers() throws IOException, InterruptedException {
    base = BusyboxRootfs.tempBase("silo-layers-it");
    baseLayer = base.resolve("layers/base");
    BusyboxRootfs.make(baseLayer);
    Files.writeString(baseLayer.resolve("etc/greeting"), "base\n");
    Files.writeString(baseLayer.resolve("etc/only-base"), "from-base\n");
    topLayer = base.resolve("layers/top");
    Files.createDirectories(topLayer.resolve("etc"));
    Files.writeString(topLayer.resolve("etc/greeting"), "top\n");
    Files.writeString(topLayer.resolve("etc/only-top"), "from-top\n");
  }

  @AfterAll
  static void removeLayers() throws IOException {
    if (base != null) {
      assertThat(mountsUnder(base)).as("mounts left under " + base).isEmpty();
      BusyboxRootfs.delete(base);
    }
  }

  @BeforeEach
  void open() throws IOException, HcsException {
    hcs = ComputeService.open(Files.createTempDirectory(base, "root"));
    scratch = Files.createTempDirectory(base, "scratch");
    out = Files.createTempDirectory(base, "out");
    mountsBefore = mountsUnder(base);
  }

  @AfterEach
  void deleteContainers() throws IOException {
    List<String> left = new ArrayList<>();
    for (String id : ids) {
      try {
        hcs.delete(id, true);
      } catch (HcsException e) {
        left.add(id + ": " + e.getMessage());
      }
      if (cgroupExists(id)) {
        left.add(id + ": cgroup still exists");
      }
    }
    assertThat(left).as("containers left behind").isEmpty();
    // only this test's own tree: other processes (a daemon's tests, containers) mount elsewhere
    assertThat(mountsUnder(base)).as("mounts after the test").isEqualTo(mountsBefore);
  }

  private String newId() {
    String id = "silo-layers-it-" + UUID.randomUUID().toString().substring(0, 8);
    ids.add(id);
    return id;
  }

  /** The default spec running {@code script}, with {@code windows} and /out bound from the host. */
  private Spec layered(String script, Map<String, Object> windows) throws JsonException {
    return layered(List.of("sh", "-c", script), windows);
  }

  @SuppressWarnings("unchecked")
  private Spec layered(List<String> args, Map<String, Object> windows) throws JsonException {
    Map<String, Object> j =
        (Map<String, Object>)
            Objects.requireNonNull(Json.parse(OciSpecs.writeConfig(OciSpecs.defaultSpec())));
    j.remove("root");
    j.put("hostname", "layered");
    Map<String, Object> process = (Map<String, Object>) Objects.requireNonNull(j.get("process"));
    process.put("terminal", false);
    process.put("args", args);
    List<Object> mounts = new ArrayList<>((List<Object>) Objects.requireNonNull(j.get("mounts")));
    mounts.add(
        Map.of(
            "destination",
            "/out",
            "type",
            "bind",
            "source",
            out.toString(),
            "options",
            List.of("rbind", "rw")));
    j.put("mounts", mounts);
    j.put("windows", windows);
    return OciSpecs.parseConfig(Json.write(j));
  }

  private Map<String, Object> windows(Path... folders) {
    Map<String, Object> w = new LinkedHashMap<>();
    w.put("layerFolders", Stream.of(folders).map(Path::toString).toList());
    return w;
  }

  @Test
  void theContainerSeesTheMergedLayersAndWritesIntoScratch() throws Exception {
    String id = newId();
    Map<String, Object> w = windows(topLayer, baseLayer, scratch);
    w.put("resources", Map.of("memory", Map.of("limit", 64L << 20), "cpu", Map.of("count", 1L)));
    Spec spec =
        layered(
            "cat /etc/greeting /etc/only-base /etc/only-top > /out/seen; hostname >> /out/seen;"
                + " echo new > /etc/written; echo changed > /etc/greeting; sleep 300",
            w);
    Path bundle = Files.createDirectories(base.resolve("bundle-" + id));

    assertThat(hcs.create(CreateRequest.of(id, bundle, spec))).isNull();
    Path rootfs = hcs.root().resolve(id).resolve("rootfs");
    assertThat(mountPoints()).as("the overlay root is mounted").contains(rootfs.toString());
    assertThat(hcs.state(id).rootfs()).isEqualTo(rootfs.toRealPath().toString());
    hcs.start(id);
    poll(() -> lines(out.resolve("seen")).size() == 4, "the container to write /out/seen");

    assertThat(lines(out.resolve("seen")))
        .as("top overrides base; both layers' own files show; GuestOs.HostName is the UTS name")
        .containsExactly("top", "from-base", "from-top", "layered");
    poll(
        () -> lines(scratch.resolve("upper/etc/greeting")).equals(List.of("changed")),
        "the write to land in scratch/upper");
    assertThat(scratch.resolve("upper/etc/written")).hasContent("new");
    assertThat(topLayer.resolve("etc/greeting")).as("layers stay read-only").hasContent("top");
    assertThat(baseLayer.resolve("etc/written")).doesNotExist();
    assertThat(topLayer.resolve("etc/written")).doesNotExist();
    assertThat(cgroupValue(id, "memory", "memory.limit_in_bytes", "memory.max"))
        .as("Memory.SizeInMB becomes the memory limit")
        .isEqualTo(Long.toString(64L << 20));
    assertThat(cgroupValue(id, "cpu", "cpu.cfs_quota_us", "cpu.max"))
        .as("Processor.Count 1 becomes a quota of one CPU")
        .startsWith("100000");

    hcs.delete(id, true);

    assertThat(mountPoints()).as("no overlay after delete").doesNotContain(rootfs.toString());
    assertThat(hcs.root().resolve(id)).doesNotExist();
    assertThat(cgroupExists(id)).isFalse();
    assertThat(scratch.resolve("upper/etc/written")).as("scratch is the caller's").exists();
    assertThat(baseLayer.resolve("bin/busybox")).as("delete never walks into layers").exists();
  }

  @Test
  void aMonitoredLayeredContainerLogsAndAFailedOneLeavesNoMountOrMonitor() throws Exception {
    Monitors monitors = new Monitors(hcs);
    MonitorOptions mo = new MonitorOptions(LogOptions.DEFAULT, false);
    String id = newId();
    Path bundle = Files.createDirectories(base.resolve("bundle-" + id));
    monitors.create(
        CreateRequest.of(
            id, bundle, layered("cat /etc/greeting", windows(topLayer, baseLayer, scratch))),
        mo);
    Path rootfs = hcs.root().resolve(id).resolve("rootfs");
    assertThat(mountPoints()).contains(rootfs.toString());
    hcs.start(id);
    poll(
        () -> {
          try {
            return Objects.equals(monitors.state(id).exitCode(), 0);
          } catch (HcsException e) {
            return false;
          }
        },
        "the monitor to record the exit");
    assertThat(monitors.logs(id).read(LogFollower.Query.ALL))
        .extracting(LogEntry::log)
        .containsExactly("top\n");
    hcs.delete(id, true);
    assertThat(mountPoints()).doesNotContain(rootfs.toString());

    String bad = newId();
    Path badScratch = Files.createTempDirectory(base, "scratch");
    Spec spec = layered("true", windows(topLayer, baseLayer, badScratch));
    Spec failing =
        spec.withProcess(MonitorIT.withCwd(Objects.requireNonNull(spec.process()), "/no/such/dir"));
    assertThatThrownBy(() -> monitors.create(CreateRequest.of(bad, bundle, failing), mo))
        .isInstanceOf(HcsException.class)
        .hasMessageContaining("chdir");
    assertThat(hcs.root().resolve(bad)).doesNotExist();
    assertThat(cgroupExists(bad)).isFalse();
    assertThat(MonitorIT.monitorsUnder(hcs.root())).isEmpty();
    try (Stream<Path> s = Files.list(badScratch)) {
      assertThat(s.toList()).as("upper/work made by the failed create are gone").isEmpty();
    }
  }

  @Test
  void aFailedCreateUnmountsAndRemovesWhatItMade() throws Exception {
    String id = newId();
    Spec missing = layered(List.of("/no/such/program"), windows(topLayer, baseLayer, scratch));
    Path bundle = Files.createDirectories(base.resolve("bundle-" + id));

    assertThatThrownBy(() -> hcs.create(CreateRequest.of(id, bundle, missing)))
        .isInstanceOfSatisfying(
            HcsException.class,
            e -> assertThat(e.hresult()).isEqualTo(HResult.ERROR_FILE_NOT_FOUND));

    assertThat(hcs.root().resolve(id)).doesNotExist();
    assertThat(cgroupExists(id)).isFalse();
    try (Stream<Path> s = Files.list(scratch)) {
      assertThat(s.toList()).as("upper/work made by the failed create are gone").isEmpty();
    }
  }

  @Test
  void aMissingLayerFolderIsNamedAndNothingIsLeft() throws Exception {
    String id = newId();
    Path gone = base.resolve("no-such-layer");
    Spec spec = layered("true", windows(gone, baseLayer, scratch));
    Path bundle = Files.createDirectories(base.resolve("bundle-" + id));

    assertThatThrownBy(() -> hcs.create(CreateRequest.of(id, bundle, spec)))
        .isInstanceOfSatisfying(
            HcsException.class,
            e -> {
              assertThat(e.hresult()).isEqualTo(HResult.ERROR_FILE_NOT_FOUND);
              assertThat(e.detail()).contains(gone.toString());
            });

    assertThat(hcs.root().resolve(id)).doesNotExist();
    assertThat(cgroupExists(id)).isFalse();
    try (Stream<Path> s = Files.list(scratch)) {
      assertThat(s.toList()).isEmpty();
    }
  }

  @Test
  void aHyperVDocumentIsNotInstalledAndLeavesNothing() throws Exception {
    String id = newId();
    Map<String, Object> w = windows(topLayer, baseLayer, scratch);
    w.put("hyperv", Map.of());
    Spec spec = layered("true", w);
    Path bundle = Files.createDirectories(base.resolve("bundle-" + id));
    ComputeSystem doc = OciToHcs.translate(id, bundle, spec, "it");
    assertThat(doc.hostingSystemId()).isEqualTo(id + "@vm");

    assertThatThrownBy(
            () ->
                hcs.createSystem(
                    id, doc, new CreateOptions(bundle, spec, null, null, false, 0, false, "it")))
        .isInstanceOfSatisfying(
            HcsException.class,
            e -> {
              assertThat(e.hresult()).isEqualTo(HResult.HCS_E_HYPERV_NOT_INSTALLED);
              assertThat(e.detail()).startsWith("Hyper-V isolation is not available on this host");
            });

    try (Stream<Path> s = Files.list(hcs.root())) {
      assertThat(s.toList()).as("no state").isEmpty();
    }
    assertThat(cgroupExists(id)).isFalse();
    try (Stream<Path> s = Files.list(scratch)) {
      assertThat(s.toList()).as("scratch untouched").isEmpty();
    }
  }

  @Test
  void aBareContainerDocumentWithoutAProcessIsNotSupportedYet() throws Exception {
    String id = newId();
    Container c =
        new Container(
            null,
            new Storage(List.of(), scratch.toString(), null, null),
            List.of(),
            List.of(),
            null,
            null,
            null,
            null,
            null);
    ComputeSystem doc = new ComputeSystem("it", Version.V2_1, null, null, c, null, null);

    assertThatThrownBy(
            () ->
                hcs.createSystem(
                    id, doc, new CreateOptions(base, null, null, null, false, 0, false, "it")))
        .isInstanceOfSatisfying(
            HcsException.class, e -> assertThat(e.hresult()).isEqualTo(HResult.E_NOTIMPL));
    assertThat(hcs.root().resolve(id)).doesNotExist();
  }

  private static List<String> mountPoints() {
    List<String> points = new ArrayList<>();
    for (String line : lines(Path.of("/proc/self/mountinfo"))) {
      points.add(line.split(" ")[4]);
    }
    return points;
  }

  private static List<String> mountsUnder(Path dir) {
    return mountPoints().stream().filter(p -> p.startsWith(dir.toString())).toList();
  }

  private static List<String> lines(Path file) {
    try {
      return Files.readAllLines(file);
    } catch (IOException e) {
      return List.of();
    }
  }

  /** A limit from the v1 file of a controller, or the v2 file when the controller is on v2. */
  private static String cgroupValue(String id, String controller, String v1File, String v2File)
      throws IOException {
    Path dir =
        Objects.requireNonNull(
            CgroupDriver.detect().open("", id).paths().get(controller), "no " + controller);
    Path v1 = dir.resolve(v1File);
    return Files.readString(Files.exists(v1) ? v1 : dir.resolve(v2File)).strip();
  }

  private static boolean cgroupExists(String id) {
    try {
      return CgroupDriver.detect().open("", id).exists();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static void poll(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + TIMEOUT + " waiting for: " + what);
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
    }
  }
}
