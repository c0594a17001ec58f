package dev.silo.hcs;

import dev.silo.api.HResult;
import dev.silo.api.HcsException;
import dev.silo.hcs.internal.ContainerDocument;
import dev.silo.schema.hcs.ComputeSystem;
import dev.silo.schema.hcs.Container;
import dev.silo.schema.hcs.ContainerMemory;
import dev.silo.schema.hcs.ContainerProcessor;
import dev.silo.schema.hcs.GuestOs;
import dev.silo.schema.hcs.HostedSystem;
import dev.silo.schema.hcs.Layer;
import dev.silo.schema.hcs.LinuxContainer;
import dev.silo.schema.hcs.MappedDirectory;
import dev.silo.schema.hcs.Networking;
import dev.silo.schema.hcs.Storage;
import dev.silo.schema.hcs.Version;
import dev.silo.schema.oci.Mount;
import dev.silo.schema.oci.Spec;
import dev.silo.schema.oci.Windows;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Translates an OCI bundle's spec into the HCS schema v2 {@code ComputeSystem} document, as
 * hcsshim's {@code internal/hcsoci} ({@code hcsdoc_lcow.go}, {@code hcsdoc_wcow.go}) does; pure: no
 * I/O, no clock, no host facts.
 *
 * <p>Three shapes come out:
 *
 * <ul>
 *   <li>no {@code windows.layerFolders} and no {@code windows.hyperv}: a Linux container, {@code
 *       HostedSystem: LinuxContainer{OciBundlePath, OciSpecification}} (the spec as its JSON tree);
 *   <li>{@code windows.layerFolders}: a process-isolated {@code Container} with Storage (layers +
 *       scratch), GuestOs, Memory, Processor, Networking and MappedDirectories;
 *   <li>{@code windows.hyperv}: the same {@code Container}, hosted as hcsshim hosts a Hyper-V
 *       container: {@code HostingSystemId: "<id>@vm"} (runhcs's name for the utility VM of a
 *       container) and {@code HostedSystem: {SchemaVersion, Container}}.
 * </ul>
 */
public final class OciToHcs {
  /** runhcs names the utility VM of a Hyper-V container after the container plus this suffix. */
  public static final String VM_SUFFIX = "@vm";

  private static final long MIB = 1024 * 1024;
  private static final int MAX_WEIGHT = 10_000;

  private OciToHcs() {}

  /**
   * The document for {@code id}; bad {@code windows} fields fail with one error naming the field
   * ({@code HCS_E_INVALID_JSON} for a wrong shape, {@code E_INVALIDARG} for a wrong value).
   */
  public static ComputeSystem translate(String id, Path bundle, Spec spec, String owner)
      throws HcsException {
    Windows w = spec.windows();
    String docOwner = owner.isEmpty() ? null : owner;
    if (w == null || (w.layerFolders().isEmpty() && w.hyperv() == null)) {
      LinuxContainer linux =
          new LinuxContainer(Version.V2_1, bundle.toString(), spec.toJson(), null);
      return new ComputeSystem(docOwner, Version.V2_1, null, linux, null, null, true);
    }
    validate(id, spec, w);
    Container container = container(spec, w);
    if (w.hyperv() != null) {
      HostedSystem hosted = new HostedSystem(Version.V2_1, container);
      return new ComputeSystem(docOwner, Version.V2_1, id + VM_SUFFIX, hosted, null, null, true);
    }
    return new ComputeSystem(docOwner, Version.V2_1, null, null, container, null, true);
  }

  private static void validate(String id, Spec spec, Windows w) throws HcsException {
    if (w.layerFolders().isEmpty()) {
      throw invalidJson(id, "windows.layerFolders: must list at least the scratch folder");
    }
    for (int i = 0; i < w.layerFolders().size(); i++) {
      if (w.layerFolders().get(i).isBlank()) {
        throw invalidJson(id, "windows.layerFolders[" + i + "]: must not be empty");
      }
    }
    if (w.hyperv() != null && spec.root() != null && !spec.root().path().isEmpty()) {
      throw invalidJson(id, "root.path: must not be set together with windows.hyperv");
    }
    for (int i = 0; i < w.devices().size(); i++) {
      String type = w.devices().get(i).idType();
      if (!type.equalsIgnoreCase("class")) {
        throw invalidArg(
            id,
            "windows.devices[" + i + "].idType: only \"class\" is supported, got \"" + type + "\"");
      }
    }
    Windows.Cpu cpu = w.resources() == null ? null : w.resources().cpu();
    if (cpu != null) {
      validateCpu(id, cpu);
    }
  }

  private static void validateCpu(String id, Windows.Cpu cpu) throws HcsException {
    int set =
        (cpu.count() != null ? 1 : 0)
            + (cpu.shares() != null ? 1 : 0)
            + (cpu.maximum() != null ? 1 : 0);
    if (set > 1) {
      // HCS Processor.Count, Weight and Maximum are mutually exclusive
      // (schema2.ContainerProcessor).
      throw invalidArg(
          id, "windows.resources.cpu: count, shares and maximum are mutually exclusive");
    }
    if (cpu.count() != null && (cpu.count() < 1 || cpu.count() > Integer.MAX_VALUE)) {
      throw invalidArg(
          id,
          "windows.resources.cpu.count: must be at least 1, got "
              + Long.toUnsignedString(cpu.count()));
    }
    if (cpu.maximum() != null && (cpu.maximum() < 1 || cpu.maximum() > MAX_WEIGHT)) {
      throw invalidArg(id, "windows.resources.cpu.maximum: must be 1–10000, got " + cpu.maximum());
    }
    if (cpu.shares() != null && cpu.shares() > MAX_WEIGHT) {
      throw invalidArg(id, "windows.resources.cpu.shares: must be 0–10000, got " + cpu.shares());
    }
  }

  private static Container container(Spec spec, Windows w) {
    List<String> folders = w.layerFolders();
    List<Layer> layers = new ArrayList<>();
    for (String folder : folders.subList(0, folders.size() - 1)) {
      layers.add(new Layer(layerId(folder), folder, null, null));
    }
    Storage storage = new Storage(layers, folders.getLast(), null, null);
    GuestOs guest =
        spec.hostname() == null || spec.hostname().isEmpty() ? null : new GuestOs(spec.hostname());
    return new Container(
        guest,
        storage,
        mappedDirectories(spec.mounts()),
        List.of(),
        memory(w.resources()),
        processor(w.resources()),
        networking(w.network()),
        null,
        null);
  }

  /**
   * A layer's GUID, derived from its path as hcsshim's {@code wclayer.LayerID} derives it from the
   * folder name: the same folder always gets the same id (a name-based UUID).
   */
  static String layerId(String folder) {
    return UUID.nameUUIDFromBytes(folder.getBytes(StandardCharsets.UTF_8)).toString();
  }

  private static List<MappedDirectory> mappedDirectories(List<Mount> mounts) {
    List<MappedDirectory> out = new ArrayList<>();
    for (Mount m : mounts) {
      if (!ContainerDocument.isBind(m) || m.source() == null) {
        continue;
      }
      boolean ro = m.options().contains("ro");
      out.add(new MappedDirectory(m.source(), null, m.destination(), ro ? Boolean.TRUE : null));
    }
    return out;
  }

  private static @Nullable ContainerMemory memory(Windows.@Nullable Resources r) {
    if (r == null || r.memory() == null || r.memory().limit() == null) {
      return null;
    }
    long mb = Long.divideUnsigned(r.memory().limit(), MIB);
    return mb == 0 ? null : new ContainerMemory(mb);
  }

  private static @Nullable ContainerProcessor processor(Windows.@Nullable Resources r) {
    Windows.Cpu cpu = r == null ? null : r.cpu();
    if (cpu == null) {
      return null;
    }
    Integer count = cpu.count() == null ? null : cpu.count().intValue();
    Integer weight = cpu.shares() == null || cpu.shares() == 0 ? null : cpu.shares();
    if (count == null && cpu.maximum() == null && weight == null) {
      return null;
    }
    return new ContainerProcessor(count, cpu.maximum(), weight, null);
  }

  private static @Nullable Networking networking(Windows.@Nullable Network n) {
    if (n == null) {
      return null;
    }
    String search = n.dnsSearchList().isEmpty() ? null : String.join(",", n.dnsSearchList());
    return new Networking(
        n.allowUnqualifiedDnsQuery() ? Boolean.TRUE : null,
        search,
        n.networkSharedContainerName(),
        n.networkNamespace(),
        List.of());
  }

  private static HcsException invalidJson(String id, String detail) {
    return new HcsException("create", id, HResult.HCS_E_INVALID_JSON, "config.json: " + detail);
  }

  private static HcsException invalidArg(String id, String detail) {
    return new HcsException("create", id, HResult.E_INVALIDARG, "config.json: " + detail);
  }
}
