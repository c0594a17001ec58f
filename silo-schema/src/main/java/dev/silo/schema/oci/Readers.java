package dev.silo.schema.oci;

import dev.silo.schema.json.JsonException;
import dev.silo.schema.json.JsonObject;

/**
 * Reads a nested OCI record by its class: the records pass class tokens to {@link Fields} rather
 * than {@code X::fromJson} method references, because every lambda or method reference on runhcs's
 * path makes the AOT training spin classes with the classfile API, which every call then loads
 * (docs/benchmarks.md). Most frequent types first.
 */
final class Readers {
  private Readers() {}

  static <T> T read(Class<T> type, JsonObject o) throws JsonException {
    Object v = common(type, o);
    return type.cast(v != null ? v : rare(type, o));
  }

  private static @org.jspecify.annotations.Nullable Object common(Class<?> type, JsonObject o)
      throws JsonException {
    if (type == Mount.class) {
      return Mount.fromJson(o);
    }
    if (type == Linux.Namespace.class) {
      return Linux.Namespace.fromJson(o);
    }
    if (type == Process.Rlimit.class) {
      return Process.Rlimit.fromJson(o);
    }
    if (type == LinuxResources.DeviceRule.class) {
      return LinuxResources.DeviceRule.fromJson(o);
    }
    if (type == Process.class) {
      return Process.fromJson(o);
    }
    if (type == Process.Capabilities.class) {
      return Process.Capabilities.fromJson(o);
    }
    if (type == Root.class) {
      return Root.fromJson(o);
    }
    if (type == Linux.class) {
      return Linux.fromJson(o);
    }
    if (type == LinuxResources.class) {
      return LinuxResources.fromJson(o);
    }
    if (type == Hooks.class) {
      return Hooks.fromJson(o);
    }
    if (type == Hooks.Hook.class) {
      return Hooks.Hook.fromJson(o);
    }
    if (type == IdMapping.class) {
      return IdMapping.fromJson(o);
    }
    if (type == Linux.Device.class) {
      return Linux.Device.fromJson(o);
    }
    if (type == LinuxSeccomp.class) {
      return LinuxSeccomp.fromJson(o);
    }
    if (type == LinuxSeccomp.Syscall.class) {
      return LinuxSeccomp.Syscall.fromJson(o);
    }
    if (type == LinuxSeccomp.Arg.class) {
      return LinuxSeccomp.Arg.fromJson(o);
    }
    if (type == Process.ConsoleSize.class) {
      return Process.ConsoleSize.fromJson(o);
    }
    return null;
  }

  private static Object rare(Class<?> type, JsonObject o) throws JsonException {
    if (type == LinuxResources.Memory.class) {
      return LinuxResources.Memory.fromJson(o);
    }
    if (type == LinuxResources.Cpu.class) {
      return LinuxResources.Cpu.fromJson(o);
    }
    if (type == LinuxResources.Pids.class) {
      return LinuxResources.Pids.fromJson(o);
    }
    if (type == LinuxBlockIo.class) {
      return LinuxBlockIo.fromJson(o);
    }
    if (type == LinuxBlockIo.WeightDevice.class) {
      return LinuxBlockIo.WeightDevice.fromJson(o);
    }
    if (type == LinuxBlockIo.ThrottleDevice.class) {
      return LinuxBlockIo.ThrottleDevice.fromJson(o);
    }
    if (type == LinuxResources.HugepageLimit.class) {
      return LinuxResources.HugepageLimit.fromJson(o);
    }
    if (type == LinuxResources.Network.class) {
      return LinuxResources.Network.fromJson(o);
    }
    if (type == LinuxResources.InterfacePriority.class) {
      return LinuxResources.InterfacePriority.fromJson(o);
    }
    if (type == LinuxResources.Rdma.class) {
      return LinuxResources.Rdma.fromJson(o);
    }
    if (type == Linux.IntelRdt.class) {
      return Linux.IntelRdt.fromJson(o);
    }
    if (type == Linux.Personality.class) {
      return Linux.Personality.fromJson(o);
    }
    if (type == Linux.TimeOffset.class) {
      return Linux.TimeOffset.fromJson(o);
    }
    if (type == Process.Scheduler.class) {
      return Process.Scheduler.fromJson(o);
    }
    if (type == Process.IoPriority.class) {
      return Process.IoPriority.fromJson(o);
    }
    if (type == Windows.class) {
      return Windows.fromJson(o);
    }
    if (type == Windows.Device.class) {
      return Windows.Device.fromJson(o);
    }
    if (type == Windows.Resources.class) {
      return Windows.Resources.fromJson(o);
    }
    if (type == Windows.HyperV.class) {
      return Windows.HyperV.fromJson(o);
    }
    if (type == Windows.Network.class) {
      return Windows.Network.fromJson(o);
    }
    if (type == Windows.Memory.class) {
      return Windows.Memory.fromJson(o);
    }
    if (type == Windows.Cpu.class) {
      return Windows.Cpu.fromJson(o);
    }
    if (type == Windows.Storage.class) {
      return Windows.Storage.fromJson(o);
    }
    throw new IllegalArgumentException("no reader for " + type.getName());
  }
}
