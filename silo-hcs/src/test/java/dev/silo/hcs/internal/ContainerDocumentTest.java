package dev.silo.hcs.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.silo.linux.cgroup.CgroupResources;
import dev.silo.schema.hcs.Container;
import dev.silo.schema.hcs.ContainerMemory;
import dev.silo.schema.hcs.ContainerProcessor;
import dev.silo.schema.hcs.GuestOs;
import dev.silo.schema.hcs.Layer;
import dev.silo.schema.hcs.MappedDirectory;
import dev.silo.schema.hcs.Storage;
import dev.silo.schema.oci.Mount;
import dev.silo.schema.oci.OciSpecs;
import dev.silo.schema.oci.Spec;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class ContainerDocumentTest {
  private static final Path BUNDLE = Path.of("/bundles/c1");
  private static final Path STATE = Path.of("/run/silo/c1");

  private static Container container(
      @Nullable Storage storage,
      List<MappedDirectory> dirs,
      @Nullable ContainerMemory memory,
      @Nullable ContainerProcessor processor) {
    return new Container(
        new GuestOs("web-1"), storage, dirs, List.of(), memory, processor, null, null, null);
  }

  private static Storage storage(String scratch, String... layers) {
    List<Layer> l = new java.util.ArrayList<>();
    for (String p : layers) {
      l.add(new Layer(null, p, null, null));
    }
    return new Storage(l, scratch, null, null);
  }

  private static CgroupResources limitsOf(Container c, int hostCpus) {
    return Objects.requireNonNull(ContainerDocument.limits(c, hostCpus));
  }

  @Test
  void layersStackTopFirstWithUpperAndWorkInTheScratchFolder() {
    var layout =
        ContainerDocument.layout(
            container(storage("/scratch/c1", "/layers/top", "layers/base"), List.of(), null, null),
            BUNDLE,
            STATE);

    assertThat(layout.lowers())
        .containsExactly(Path.of("/layers/top"), Path.of("/bundles/c1/layers/base"));
    assertThat(layout.target()).isEqualTo(Path.of("/run/silo/c1/rootfs"));
    assertThat(layout.mountData())
        .isEqualTo(
            "lowerdir=/layers/top:/bundles/c1/layers/base,upperdir=/scratch/c1/upper,"
                + "workdir=/scratch/c1/work");
  }

  @Test
  void aScratchOnlyDocumentGetsAnEmptyLowerDirectory() {
    var layout =
        ContainerDocument.layout(
            container(storage("/scratch/c1"), List.of(), null, null), BUNDLE, STATE);

    assertThat(layout.lowers()).containsExactly(Path.of("/run/silo/c1/empty-lower"));
    assertThat(layout.mountData()).startsWith("lowerdir=/run/silo/c1/empty-lower,");
  }

  @Test
  void unusableStorageNamesTheField() {
    assertThatThrownBy(
            () -> ContainerDocument.layout(container(null, List.of(), null, null), BUNDLE, STATE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Container.Storage.Path:");
    assertThatThrownBy(
            () ->
                ContainerDocument.layout(
                    container(storage("/scratch/c1", "/layers/a,b"), List.of(), null, null),
                    BUNDLE,
                    STATE))
        .hasMessageStartingWith("Container.Storage.Layers[0].Path: overlayfs cannot use");
  }

  @Test
  void effectiveSpecRunsOnTheOverlayWithMappedDirectoriesAsBinds() {
    Spec base =
        OciSpecs.defaultSpec()
            .withMounts(
                List.of(
                    new Mount("/proc", "proc", "proc", List.of()),
                    new Mount("/old", "bind", "/srv/old", List.of("rbind"))));
    Container c =
        container(
            storage("/scratch/c1"),
            List.of(
                new MappedDirectory("/srv/data", null, "/data", true),
                new MappedDirectory("/srv/logs", null, "/logs", null)),
            null,
            null);

    Spec spec = ContainerDocument.effectiveSpec(base, c, Path.of("/run/silo/c1/rootfs"));

    assertThat(Objects.requireNonNull(spec.root()).path()).isEqualTo("/run/silo/c1/rootfs");
    assertThat(spec.hostname()).isEqualTo("web-1");
    assertThat(spec.process()).isEqualTo(base.process());
    assertThat(spec.mounts())
        .containsExactly(
            new Mount("/proc", "proc", "proc", List.of()),
            new Mount("/data", "bind", "/srv/data", List.of("rbind", "ro")),
            new Mount("/logs", "bind", "/srv/logs", List.of("rbind")));
  }

  @Test
  void memoryAndCountBecomeLimitAndQuota() {
    CgroupResources r =
        limitsOf(
            container(
                null,
                List.of(),
                new ContainerMemory(512L),
                new ContainerProcessor(2, null, null, null)),
            4);

    assertThat(r.memoryLimit()).isEqualTo(512L * 1024 * 1024);
    assertThat(r.cpuQuota()).isEqualTo(200_000L);
    assertThat(r.cpuPeriod()).isEqualTo(100_000L);
    assertThat(r.cpuShares()).isNull();
  }

  @Test
  void maximumIsAShareOfTheWholeHost() {
    // 25 % of a 4-CPU host = one CPU's worth of time per period.
    CgroupResources r =
        limitsOf(
            container(null, List.of(), null, new ContainerProcessor(null, 2500, null, null)), 4);

    assertThat(r.cpuQuota()).isEqualTo(100_000L);
    assertThat(r.memoryLimit()).isNull();
  }

  @Test
  void weightMapsToSharesThatConvertBackToTheSameWeight() {
    for (int weight : new int[] {1, 2, 100, 300, 5000, 9999, 10_000}) {
      long shares = ContainerDocument.sharesOf(weight);
      // runc's conversion on cgroup v2 (libcontainer/cgroups ConvertCPUSharesToCgroupV2Value)
      long back = 1 + ((shares - 2) * 9999) / 262_142;
      assertThat(back).as("weight %d via shares %d", weight, shares).isEqualTo(weight);
      assertThat(shares).isBetween(2L, 262_144L);
    }
    CgroupResources r =
        limitsOf(
            container(null, List.of(), null, new ContainerProcessor(null, null, 100, null)), 4);
    assertThat(r.cpuShares()).isEqualTo(ContainerDocument.sharesOf(100));
  }

  @Test
  void noMemoryOrProcessorMeansNoLimits() {
    assertThat(ContainerDocument.limits(container(null, List.of(), null, null), 4)).isNull();
  }
}
