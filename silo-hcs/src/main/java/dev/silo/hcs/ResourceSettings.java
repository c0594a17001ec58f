package dev.silo.hcs;

import dev.silo.api.HResult;
import dev.silo.api.HcsException;
import dev.silo.schema.hcs.ContainerMemory;
import dev.silo.schema.hcs.ContainerProcessor;
import dev.silo.schema.hcs.ModifySettingRequest;
import dev.silo.schema.hcs.RequestType;
import dev.silo.schema.oci.LinuxResources;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The {@code HcsModifyComputeSystem} resource paths Silo supports on a live container, turned into
 * cgroup limits: {@code Container/Memory/SizeInMB} and {@code Container/Processor}, both Update.
 */
final class ResourceSettings {
  static final String MEMORY = "Container/Memory/SizeInMB";
  static final String PROCESSOR = "Container/Processor";
  private static final long PERIOD_US = 100_000;

  private ResourceSettings() {}

  static LinuxResources toResources(String id, ModifySettingRequest r) throws HcsException {
    String path = r.resourcePath();
    if (r.requestType() != RequestType.UPDATE || !(MEMORY.equals(path) || PROCESSOR.equals(path))) {
      throw new HcsException(
          "modify",
          id,
          HResult.E_INVALIDARG,
          "unsupported modify request "
              + (r.requestType() == null ? "" : r.requestType().wireName() + " ")
              + path
              + ": only Update of "
              + MEMORY
              + " and "
              + PROCESSOR
              + " is supported");
    }
    Object settings = r.settings();
    try {
      return MEMORY.equals(path) ? memory(settings) : processor(settings);
    } catch (IllegalArgumentException | ClassCastException e) {
      throw new HcsException(
          "modify", id, HResult.E_INVALIDARG, path + ": bad Settings: " + e.getMessage(), e);
    }
  }

  private static LinuxResources memory(@Nullable Object settings) {
    Long mb =
        switch (settings) {
          case Number n -> n.longValue();
          case ContainerMemory m -> m.sizeInMB();
          case Map<?, ?> m -> number(m.get("SizeInMB"));
          case null, default -> null;
        };
    if (mb == null || mb <= 0) {
      throw new IllegalArgumentException("SizeInMB must be a positive number");
    }
    return resources(
        new LinuxResources.Memory(mb << 20, null, null, null, null, null, null, null, null), null);
  }

  private static LinuxResources processor(@Nullable Object settings) {
    ContainerProcessor p =
        switch (settings) {
          case ContainerProcessor cp -> cp;
          case Map<?, ?> m ->
              new ContainerProcessor(
                  intOrNull(m.get("Count")),
                  intOrNull(m.get("Maximum")),
                  intOrNull(m.get("Weight")),
                  null);
          case null, default ->
              throw new IllegalArgumentException("Settings must be a ContainerProcessor");
        };
    int cpus = Runtime.getRuntime().availableProcessors();
    Long quota = null;
    Long shares = null;
    if (p.count() != null) {
      quota = Math.min(p.count(), cpus) * PERIOD_US;
    } else if (p.maximum() != null) {
      quota = Math.max(1000L, p.maximum() * cpus * PERIOD_US / 10_000);
    } else if (p.weight() != null) {
      // HCS weight 0–10000 (default 100 = the v1 default of 1024 shares).
      shares = Math.max(2L, Math.min(262_144L, p.weight() * 1024L / 100));
    } else {
      throw new IllegalArgumentException("one of Count, Maximum or Weight is needed");
    }
    return resources(
        null,
        new LinuxResources.Cpu(
            shares, quota, null, quota == null ? null : PERIOD_US, null, null, null, null, null));
  }

  private static LinuxResources resources(
      LinuxResources.@Nullable Memory memory, LinuxResources.@Nullable Cpu cpu) {
    return new LinuxResources(
        List.of(), memory, cpu, null, null, List.of(), null, Map.of(), Map.of());
  }

  private static @Nullable Long number(@Nullable Object o) {
    return o instanceof Number n ? n.longValue() : null;
  }

  private static @Nullable Integer intOrNull(@Nullable Object o) {
    return o instanceof Number n ? n.intValue() : null;
  }
}
