package dev.silo.hcs.internal;

import dev.silo.linux.cgroup.CgroupResources;
import dev.silo.schema.hcs.Container;
import dev.silo.schema.hcs.ContainerMemory;
import dev.silo.schema.hcs.ContainerProcessor;
import dev.silo.schema.hcs.Layer;
import dev.silo.schema.hcs.MappedDirectory;
import dev.silo.schema.hcs.Storage;
import dev.silo.schema.oci.Mount;
import dev.silo.schema.oci.Root;
import dev.silo.schema.oci.Spec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What a process-isolated HCS {@code Container} document means on Linux (hcs.md §9), as pure
 * functions: the overlay that stacks its Storage, the cgroup limits of its Memory and Processor,
 * and the OCI spec the plan compiler runs (root = the overlay, HostName, MappedDirectories as bind
 * mounts).
 */
public final class ContainerDocument {
  /** The CFS period Silo uses for Processor.Count and Processor.Maximum quotas, in µs. */
  static final long CPU_PERIOD = 100_000;

  /** The kernel refuses CFS quotas below 1 ms. */
  private static final long MIN_QUOTA = 1_000;

  private ContainerDocument() {}

  /**
   * Where the overlay of a container goes: its layers (top first, as lowerdir lists them), the
   * scratch folder's upper and work directories, and the mount point under the state directory.
   *
   * @param emptyLower an empty directory used as the only lowerdir when the document has no layer
   *     (overlayfs needs at least one)
   */
  public record OverlayLayout(
      List<Path> layers, Path scratch, Path upper, Path work, Path target, Path emptyLower) {

    public OverlayLayout {
      layers = List.copyOf(layers);
    }

    /** The lowerdir list: the layers, or the empty directory when there are none. */
    public List<Path> lowers() {
      return layers.isEmpty() ? List.of(emptyLower) : layers;
    }

    /** The mount data, {@code lowerdir=L0:L1,upperdir=…,workdir=…}. */
    public String mountData() {
      List<String> lower = new ArrayList<>();
      for (Path p : lowers()) {
        lower.add(p.toString());
      }
      return "lowerdir=" + String.join(":", lower) + ",upperdir=" + upper + ",workdir=" + work;
    }
  }

  /**
   * The overlay of a document's Storage, mounted at {@code <stateDir>/rootfs}; relative paths are
   * taken relative to {@code bundle}. Throws {@link IllegalArgumentException} naming the field when
   * the Storage is unusable.
   */
  public static OverlayLayout layout(Container c, Path bundle, Path stateDir) {
    Storage s = c.storage();
    if (s == null || s.path() == null || s.path().isEmpty()) {
      throw new IllegalArgumentException(
          "Container.Storage.Path: the scratch folder is required for a process-isolated"
              + " container");
    }
    List<Path> layers = new ArrayList<>();
    for (int i = 0; i < s.layers().size(); i++) {
      Layer l = s.layers().get(i);
      if (l.path() == null || l.path().isEmpty()) {
        throw new IllegalArgumentException(
            "Container.Storage.Layers[" + i + "].Path: a layer needs a path");
      }
      layers.add(checked("Container.Storage.Layers[" + i + "].Path", bundle.resolve(l.path())));
    }
    Path scratch = checked("Container.Storage.Path", bundle.resolve(s.path()));
    return new OverlayLayout(
        layers,
        scratch,
        scratch.resolve("upper"),
        scratch.resolve("work"),
        stateDir.resolve("rootfs"),
        stateDir.resolve("empty-lower"));
  }

  /** overlayfs splits its options at ',' and lowerdir at ':'; such paths cannot be expressed. */
  private static Path checked(String field, Path p) {
    String s = p.normalize().toString();
    if (s.contains(",") || s.contains(":")) {
      throw new IllegalArgumentException(
          field + ": overlayfs cannot use a path containing ',' or ':': " + s);
    }
    return p.normalize();
  }

  /**
   * The OCI spec the plan runs for the document: {@code base}'s process and Linux settings, with
   * the root replaced by the overlay, the host name from GuestOs, and the spec's bind mounts
   * replaced by the MappedDirectories (after the other mounts, so /dev or /sys never cover them).
   */
  public static Spec effectiveSpec(Spec base, Container c, Path rootfs) {
    List<Mount> mounts = new ArrayList<>();
    for (Mount m : base.mounts()) {
      if (!isBind(m)) {
        mounts.add(m);
      }
    }
    for (MappedDirectory d : c.mappedDirectories()) {
      if (d.hostPath() == null || d.containerPath() == null) {
        continue;
      }
      List<String> options =
          Boolean.TRUE.equals(d.readOnly()) ? List.of("rbind", "ro") : List.of("rbind");
      mounts.add(new Mount(d.containerPath(), "bind", d.hostPath(), options));
    }
    boolean readonly = base.root() != null && base.root().readonly();
    String hostname = c.guestOs() == null ? null : c.guestOs().hostName();
    return new Spec(
        base.ociVersion(),
        base.process(),
        new Root(rootfs.toString(), readonly),
        hostname,
        base.domainname(),
        mounts,
        base.hooks(),
        base.annotations(),
        base.linux(),
        base.windows());
  }

  /** A bind mount: type "bind", or runc's untyped form with a bind/rbind option. */
  public static boolean isBind(Mount m) {
    String type = m.type() == null ? "" : m.type();
    boolean bindOption = m.options().contains("bind") || m.options().contains("rbind");
    return type.equals("bind") || ((type.isEmpty() || type.equals("none")) && bindOption);
  }

  /**
   * The cgroup limits of Memory and Processor (hcs.md §9), or null when the document sets none:
   * SizeInMB → memory limit; Count → a quota of Count CPUs; Maximum (hundredths of a percent of the
   * whole host) → a quota of Maximum × hostCpus / 10000 CPUs; Weight (1–10000) → cpu.shares on the
   * scale runc converts back to the same cpu.weight on cgroup v2.
   */
  public static @Nullable CgroupResources limits(Container c, int hostCpus) {
    ContainerMemory mem = c.memory();
    ContainerProcessor cpu = c.processor();
    Long mb = mem == null ? null : mem.sizeInMB();
    boolean hasMemory = mb != null && mb > 0;
    boolean hasCpu =
        cpu != null && (cpu.count() != null || cpu.maximum() != null || cpu.weight() != null);
    if (!hasMemory && !hasCpu) {
      return null;
    }
    CgroupResources.Builder b = CgroupResources.builder();
    if (mb != null && mb > 0) {
      b.memoryLimit(mb << 20);
    }
    if (cpu != null) {
      if (cpu.count() != null && cpu.count() > 0) {
        b.cpuQuota(cpu.count() * CPU_PERIOD).cpuPeriod(CPU_PERIOD);
      } else if (cpu.maximum() != null && cpu.maximum() > 0) {
        long quota = cpu.maximum() * (long) hostCpus * CPU_PERIOD / 10_000;
        b.cpuQuota(Math.max(MIN_QUOTA, quota)).cpuPeriod(CPU_PERIOD);
      } else if (cpu.weight() != null && cpu.weight() > 0) {
        b.cpuShares(sharesOf(cpu.weight()));
      }
    }
    return b.build();
  }

  /**
   * The inverse of runc's shares → weight conversion: weight = 1 + (shares − 2) × 9999 / 262142.
   */
  static long sharesOf(int weight) {
    int w = Math.min(10_000, Math.max(1, weight));
    return 2 + ((long) (w - 1) * 262_142 + 9_998) / 9_999;
  }
}
