package dev.silo.schema.oci;

import dev.silo.schema.json.JsonException;
import dev.silo.schema.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The cgroup limits of a Linux container ({@code linux.resources}); the Windows counterpart is the
 * job-object limits of {@code windows.resources}.
 */
public record LinuxResources(
    List<DeviceRule> devices,
    @Nullable Memory memory,
    @Nullable Cpu cpu,
    @Nullable Pids pids,
    @Nullable LinuxBlockIo blockIO,
    List<HugepageLimit> hugepageLimits,
    @Nullable Network network,
    Map<String, Rdma> rdma,
    Map<String, String> unified)
    implements OciJson {

  public LinuxResources {
    devices = List.copyOf(devices);
    hugepageLimits = List.copyOf(hugepageLimits);
    rdma = Map.copyOf(rdma);
    unified = Map.copyOf(unified);
  }

  public static LinuxResources fromJson(JsonObject o) throws JsonException {
    return new LinuxResources(
        Fields.list(o, "devices", DeviceRule.class),
        Fields.opt(o, "memory", Memory.class),
        Fields.opt(o, "cpu", Cpu.class),
        Fields.opt(o, "pids", Pids.class),
        Fields.opt(o, "blockIO", LinuxBlockIo.class),
        Fields.list(o, "hugepageLimits", HugepageLimit.class),
        Fields.opt(o, "network", Network.class),
        Fields.objectMap(o, "rdma", Rdma.class),
        o.stringMap("unified"));
  }

  @Override
  public Map<String, Object> toJson() {
    return new Fields.Out()
        .list("devices", devices)
        .opt("memory", memory)
        .opt("cpu", cpu)
        .opt("pids", pids)
        .opt("blockIO", blockIO)
        .list("hugepageLimits", hugepageLimits)
        .opt("network", network)
        .map("rdma", rdma)
        .map("unified", unified)
        .build();
  }

  /** A device-cgroup allow or deny rule; absent type/major/minor mean "all". */
  public record DeviceRule(
      boolean allow,
      @Nullable String type,
      @Nullable Long major,
      @Nullable Long minor,
      @Nullable String access)
      implements OciJson {

    public static DeviceRule fromJson(JsonObject o) throws JsonException {
      return new DeviceRule(
          o.bool("allow", false),
          Fields.optString(o, "type"),
          o.optLong("major"),
          o.optLong("minor"),
          Fields.optString(o, "access"));
    }

    @Override
    public Map<String, Object> toJson() {
      return new Fields.Out()
          .put("allow", allow)
          .str("type", type)
          .opt("major", major)
          .opt("minor", minor)
          .str("access", access)
          .build();
    }
  }

  /** Memory-cgroup limits in bytes; {@code swap} is memory plus swap. */
  public record Memory(
      @Nullable Long limit,
      @Nullable Long reservation,
      @Nullable Long swap,
      @Nullable Long kernel,
      @Nullable Long kernelTcp,
      @Nullable Long swappiness,
      @Nullable Boolean disableOomKiller,
      @Nullable Boolean useHierarchy,
      @Nullable Boolean checkBeforeUpdate)
      implements OciJson {

    public static Memory fromJson(JsonObject o) throws JsonException {
      return new Memory(
          o.optLong("limit"),
          o.optLong("reservation"),
          o.optLong("swap"),
          o.optLong("kernel"),
          o.optLong("kernelTCP"),
          Fields.optUnsigned(o, "swappiness"),
          Fields.optBool(o, "disableOOMKiller"),
          Fields.optBool(o, "useHierarchy"),
          Fields.optBool(o, "checkBeforeUpdate"));
    }

    @Override
    public Map<String, Object> toJson() {
      return new Fields.Out()
          .opt("limit", limit)
          .opt("reservation", reservation)
          .opt("swap", swap)
          .opt("kernel", kernel)
          .opt("kernelTCP", kernelTcp)
          .optUnsigned("swappiness", swappiness)
          .opt("disableOOMKiller", disableOomKiller)
          .opt("useHierarchy", useHierarchy)
          .opt("checkBeforeUpdate", checkBeforeUpdate)
          .build();
    }
  }

  /** CPU and cpuset limits; times in microseconds. */
  public record Cpu(
      @Nullable Long shares,
      @Nullable Long quota,
      @Nullable Long burst,
      @Nullable Long period,
      @Nullable Long realtimeRuntime,
      @Nullable Long realtimePeriod,
      @Nullable String cpus,
      @Nullable String mems,
      @Nullable Long idle)
      implements OciJson {

    public static Cpu fromJson(JsonObject o) throws JsonException {
      return new Cpu(
          Fields.optUnsigned(o, "shares"),
          o.optLong("quota"),
          Fields.optUnsigned(o, "burst"),
          Fields.optUnsigned(o, "period"),
          o.optLong("realtimeRuntime"),
          Fields.optUnsigned(o, "realtimePeriod"),
          Fields.optString(o, "cpus"),
          Fields.optString(o, "mems"),
          o.optLong("idle"));
    }

    @Override
    public Map<String, Object> toJson() {
      return new Fields.Out()
          .optUnsigned("shares", shares)
          .opt("quota", quota)
          .optUnsigned("burst", burst)
          .optUnsigned("period", period)
          .opt("realtimeRuntime", realtimeRuntime)
          .optUnsigned("realtimePeriod", realtimePeriod)
          .str("cpus", cpus)
          .str("mems", mems)
          .opt("idle", idle)
          .build();
    }
  }

  /** The pids-cgroup limit; 0 or negative means no limit. */
  public record Pids(long limit) implements OciJson {
    public static Pids fromJson(JsonObject o) throws JsonException {
      return new Pids(o.longValue("limit", 0));
    }

    @Override
    public Map<String, Object> toJson() {
      return new Fields.Out().put("limit", limit).build();
    }
  }

  /** A hugetlb limit for one page size such as {@code 2MB}. */
  public record HugepageLimit(String pageSize, long limit) implements OciJson {
    public static HugepageLimit fromJson(JsonObject o) throws JsonException {
      return new HugepageLimit(o.string("pageSize", ""), Fields.unsigned(o, "limit"));
    }

    @Override
    public Map<String, Object> toJson() {
      return new Fields.Out().put("pageSize", pageSize).unsigned("limit", limit).build();
    }
  }

  /** The net_cls class id and net_prio priorities. */
  public record Network(@Nullable Long classId, List<InterfacePriority> priorities)
      implements OciJson {

    public Network {
      priorities = List.copyOf(priorities);
    }

    public static Network fromJson(JsonObject o) throws JsonException {
      return new Network(
          Fields.optUint32(o, "classID"), Fields.list(o, "priorities", InterfacePriority.class));
    }

    @Override
    public Map<String, Object> toJson() {
      return new Fields.Out().opt("classID", classId).list("priorities", priorities).build();
    }
  }

  /** The net_prio priority of one interface. */
  public record InterfacePriority(String name, long priority) implements OciJson {
    public static InterfacePriority fromJson(JsonObject o) throws JsonException {
      return new InterfacePriority(o.string("name", ""), Fields.uint32(o, "priority"));
    }

    @Override
    public Map<String, Object> toJson() {
      return new Fields.Out().put("name", name).put("priority", priority).build();
    }
  }

  /** The rdma-cgroup limits of one device. */
  public record Rdma(@Nullable Long hcaHandles, @Nullable Long hcaObjects) implements OciJson {
    public static Rdma fromJson(JsonObject o) throws JsonException {
      return new Rdma(Fields.optUint32(o, "hcaHandles"), Fields.optUint32(o, "hcaObjects"));
    }

    @Override
    public Map<String, Object> toJson() {
      return new Fields.Out().opt("hcaHandles", hcaHandles).opt("hcaObjects", hcaObjects).build();
    }
  }
}
