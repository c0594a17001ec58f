package dev.silo.hcs.internal;

import static dev.silo.hcs.internal.MountOptions.MS_BIND;
import static dev.silo.hcs.internal.MountOptions.MS_NODEV;
import static dev.silo.hcs.internal.MountOptions.MS_NOEXEC;
import static dev.silo.hcs.internal.MountOptions.MS_NOSUID;
import static dev.silo.hcs.internal.MountOptions.MS_RDONLY;
import static dev.silo.hcs.internal.MountOptions.MS_REC;
import static dev.silo.hcs.internal.MountOptions.MS_REMOUNT;
import static dev.silo.hcs.internal.MountOptions.MS_SHARED;
import static dev.silo.hcs.internal.MountOptions.MS_STRICTATIME;
import static dev.silo.hcs.internal.SpecJson.list;
import static dev.silo.hcs.internal.SpecJson.obj;
import static dev.silo.hcs.internal.SpecJson.object;
import static dev.silo.init.MountFlags.OPT_MKDIR;
import static dev.silo.init.MountFlags.OPT_MKFILE;
import static dev.silo.init.MountFlags.OPT_REMOUNT_BIND;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.silo.hcs.internal.DecodedPlan.MountStep;
import dev.silo.init.MountFlags;
import dev.silo.schema.oci.Spec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The mount steps of the init plan: runc's default mounts with their flags and data, binds,
 * cgroups.
 */
class PlanCompilerMountsTest extends PlanFixture {
  static final long NSE = MS_NOSUID | MS_NODEV | MS_NOEXEC;

  @Override
  boolean terminal() {
    return false;
  }

  // NullAway misses the type-use @Nullable of a byte[] record component read from a class file.
  @SuppressWarnings("NullAway")
  DecodedPlan compile(Spec spec, Map<Path, Path> cgroupDirs) throws PlanException {
    PlanInput in =
        new PlanInput(
            spec,
            bundle,
            rootfs,
            state,
            null,
            false,
            0,
            false,
            List.of(),
            cgroupDirs,
            null,
            0,
            40,
            List.of());
    return DecodedPlan.of(PlanCompiler.compileInit(in));
  }

  DecodedPlan compile(Spec spec) throws PlanException {
    return compile(spec, Map.of());
  }

  /** Adds a mount after the default ones. */
  Spec withMount(Map<String, Object> mount) {
    return edit(j -> list(j, "mounts").add(mount));
  }

  @Test
  void eachDefaultMountCarriesRuncsFlagsAndData() throws PlanException {
    DecodedPlan plan = compile(edit(j -> {}));

    assertThat(plan.mountsOn(r + "/proc"))
        .containsExactly(new MountStep("proc", r + "/proc", "proc", 0, "", OPT_MKDIR));
    assertThat(plan.mountsOn(r + "/dev"))
        .containsExactly(
            new MountStep(
                "tmpfs",
                r + "/dev",
                "tmpfs",
                MS_NOSUID | MS_STRICTATIME,
                "mode=755,size=65536k",
                OPT_MKDIR));
    assertThat(plan.mountsOn(r + "/dev/pts"))
        .containsExactly(
            new MountStep(
                "devpts",
                r + "/dev/pts",
                "devpts",
                MS_NOSUID | MS_NOEXEC,
                "newinstance,ptmxmode=0666,mode=0620,gid=5",
                OPT_MKDIR));
    assertThat(plan.mountsOn(r + "/dev/shm"))
        .containsExactly(
            new MountStep("shm", r + "/dev/shm", "tmpfs", NSE, "mode=1777,size=65536k", OPT_MKDIR));
    assertThat(plan.mountsOn(r + "/dev/mqueue"))
        .containsExactly(new MountStep("mqueue", r + "/dev/mqueue", "mqueue", NSE, "", OPT_MKDIR));
    assertThat(plan.mountsOn(r + "/sys"))
        .containsExactly(
            new MountStep("sysfs", r + "/sys", "sysfs", NSE | MS_RDONLY, "", OPT_MKDIR));
  }

  @Test
  void cgroupMountIsATmpfsWithTheContainersOwnHierarchiesBoundReadOnly() throws PlanException {
    Path memory = Path.of("/sys/fs/cgroup/memory");
    Path cpu = Path.of("/sys/fs/cgroup/cpu,cpuacct");
    Map<Path, Path> dirs = Map.of(memory, memory.resolve("silo/c1"), cpu, cpu.resolve("silo/c1"));
    String target = r + "/sys/fs/cgroup";

    List<MountStep> mounts =
        compile(edit(j -> {}), dirs).mounts().stream()
            .filter(m -> m.target().startsWith(target))
            .toList();

    assertThat(mounts).hasSize(4);
    assertThat(mounts.getFirst())
        .isEqualTo(new MountStep("tmpfs", target, "tmpfs", NSE, "mode=755", OPT_MKDIR));
    // The hierarchies' order follows the map, which does not define one.
    assertThat(mounts.subList(1, 3))
        .containsExactlyInAnyOrder(
            new MountStep(
                memory + "/silo/c1",
                target + "/memory",
                "",
                MS_BIND | NSE | MS_RDONLY,
                "",
                OPT_MKDIR | OPT_REMOUNT_BIND),
            new MountStep(
                cpu + "/silo/c1",
                target + "/cpu,cpuacct",
                "",
                MS_BIND | NSE | MS_RDONLY,
                "",
                OPT_MKDIR | OPT_REMOUNT_BIND));
    assertThat(mounts.getLast())
        .isEqualTo(new MountStep("", target, "", MS_REMOUNT | NSE | MS_RDONLY, "mode=755", 0));
  }

  @Test
  void aWritableCgroupMountIsNotRemounted() throws PlanException {
    Spec spec =
        edit(
            j ->
                list(j, "mounts")
                    .replaceAll(
                        m ->
                            "cgroup".equals(((Map<?, ?>) m).get("type"))
                                ? obj(
                                    "destination",
                                    "/sys/fs/cgroup",
                                    "type",
                                    "cgroup",
                                    "source",
                                    "cgroup",
                                    "options",
                                    List.of("nosuid"))
                                : m));

    List<MountStep> mounts =
        compile(spec, Map.of(Path.of("/sys/fs/cgroup/pids"), Path.of("/sys/fs/cgroup/pids/c1")))
            .mountsOn(r + "/sys/fs/cgroup");

    assertThat(mounts).hasSize(1);
    assertThat(mounts.getFirst().fstype()).isEqualTo("tmpfs");
  }

  @Test
  void mqueueWithoutAnIpcNamespaceBindsTheHostsMqueue() throws PlanException {
    Spec spec =
        edit(
            j ->
                list(object(j, "linux"), "namespaces")
                    .removeIf(n -> "ipc".equals(((Map<?, ?>) n).get("type"))));

    assertThat(compile(spec).mountsOn(r + "/dev/mqueue"))
        .containsExactly(
            new MountStep(
                "/dev/mqueue",
                r + "/dev/mqueue",
                "",
                MS_BIND | MountOptions.MS_NOSUID | MountOptions.MS_NODEV | MountOptions.MS_NOEXEC,
                "",
                OPT_MKDIR | MountFlags.OPT_REMOUNT_BIND));
  }

  @Test
  void aDirectoryBindIsResolvedAgainstTheBundleAndMadeReadOnlyByARemount()
      throws IOException, PlanException {
    Files.createDirectories(bundle.resolve("data"));

    DecodedPlan plan =
        compile(
            withMount(
                obj(
                    "destination",
                    "/data",
                    "type",
                    "bind",
                    "source",
                    "data",
                    "options",
                    List.of("rbind", "ro", "nosuid"))));

    assertThat(plan.mountsOn(r + "/data"))
        .containsExactly(
            new MountStep(
                bundle.resolve("data").toString(),
                r + "/data",
                "",
                MS_BIND | MS_REC | MS_RDONLY | MS_NOSUID,
                "",
                OPT_MKDIR | OPT_REMOUNT_BIND));
  }

  @Test
  void aFileBindCreatesAFileTargetAndAPlainBindNeedsNoRemount() throws IOException, PlanException {
    Path hosts = Files.writeString(bundle.resolve("hosts"), "127.0.0.1 localhost\n");

    DecodedPlan plan =
        compile(
            withMount(
                obj(
                    "destination",
                    "/etc/hosts",
                    "type",
                    "bind",
                    "source",
                    hosts.toString(),
                    "options",
                    List.of("bind"))));

    assertThat(plan.mountsOn(r + "/etc/hosts"))
        .containsExactly(
            new MountStep(hosts.toString(), r + "/etc/hosts", "", MS_BIND, "", OPT_MKFILE));
  }

  @Test
  void aBindOfAMissingSourceNamesTheMountsSource() {
    Spec spec =
        withMount(
            obj(
                "destination",
                "/data",
                "type",
                "bind",
                "source",
                "nope",
                "options",
                List.of("bind")));

    assertThatThrownBy(() -> compile(spec))
        .isInstanceOf(PlanException.class)
        .hasMessageStartingWith("mounts[7].source: ")
        .hasMessageContaining("does not exist");
  }

  @Test
  void aRelativeDestinationIsRefused() {
    Spec spec = withMount(obj("destination", "data", "type", "tmpfs", "source", "tmpfs"));

    assertThatThrownBy(() -> compile(spec))
        .isInstanceOf(PlanException.class)
        .hasMessageStartingWith("mounts[7].destination: must be an absolute path");
  }

  @Test
  void dotDotInADestinationStaysInsideTheRootfs() throws PlanException {
    DecodedPlan plan =
        compile(withMount(obj("destination", "/../../etc/x", "type", "tmpfs", "source", "tmpfs")));

    assertThat(plan.mountsOn(r + "/etc/x")).hasSize(1);
  }

  @Test
  void aPropagationOptionIsAppliedToTheTargetAfterTheMount() throws PlanException {
    DecodedPlan plan =
        compile(
            withMount(
                obj(
                    "destination",
                    "/shared",
                    "type",
                    "tmpfs",
                    "source",
                    "tmpfs",
                    "options",
                    List.of("rshared", "size=1m"))));

    int mount = plan.indexOf("mount(tmpfs → " + r + "/shared)");
    assertThat(plan.descriptions().get(mount + 1)).isEqualTo("set_propagation(" + r + "/shared)");
    assertThat(plan.mountsOn(r + "/shared").getFirst().flags()).isZero();
    assertThat(plan.mountsOn(r + "/shared").getFirst().data()).isEqualTo("size=1m");
    DecodedPlan.Reader prop = plan.steps().get(mount + 1).reader();
    prop.str();
    assertThat(prop.u64()).isEqualTo(MS_SHARED | MS_REC);
  }

  @Test
  void aBindMountedDevSkipsDeviceCreation() throws IOException, PlanException {
    Files.createDirectories(bundle.resolve("dev"));
    Spec spec =
        edit(
            j ->
                list(j, "mounts")
                    .replaceAll(
                        m ->
                            "/dev".equals(((Map<?, ?>) m).get("destination"))
                                ? obj(
                                    "destination",
                                    "/dev",
                                    "type",
                                    "bind",
                                    "source",
                                    "dev",
                                    "options",
                                    List.of("rbind"))
                                : m));

    assertThat(compile(spec).withOp(DecodedPlan.MKNOD)).isEmpty();
  }
}
