package dev.silo.schema.oci;

import dev.silo.schema.json.JsonException;
import dev.silo.schema.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The Linux section ({@code linux}): namespaces, id mappings, cgroup resources, seccomp, devices.
 */
public record Linux(
    List<IdMapping> uidMappings,
    List<IdMapping> gidMappings,
    Map<String, String> sysctl,
    @Nullable LinuxResources resources,
    @Nullable String cgroupsPath,
    List<Namespace> namespaces,
    List<Device> devices,
    @Nullable LinuxSeccomp seccomp,
    @Nullable String rootfsPropagation,
    List<String> maskedPaths,
    List<String> readonlyPaths,
    @Nullable String mountLabel,
    @Nullable IntelRdt intelRdt,
    @Nullable Personality personality,
    Map<String, TimeOffset> timeOffsets)
    implements OciJson {

  public Linux {
    uidMappings = List.copyOf(uidMappings);
    gidMappings = List.copyOf(gidMappings);
    sysctl = Map.copyOf(sysctl);
    namespaces = List.copyOf(namespaces);
    devices = List.copyOf(devices);
    maskedPaths = List.copyOf(maskedPaths);
    readonlyPaths = List.copyOf(readonlyPaths);
    timeOffsets = Map.copyOf(timeOffsets);
  }

  public static Linux fromJson(JsonObject o) throws JsonException {
    return new Linux(
        Fields.list(o, "uidMappings", IdMapping.class),
        Fields.list(o, "gidMappings", IdMapping.class),
        o.stringMap("sysctl"),
        Fields.opt(o, "resources", LinuxResources.class),
        Fields.optString(o, "cgroupsPath"),
        Fields.list(o, "namespaces", Namespace.class),
        Fields.list(o, "devices", Device.class),
        Fields.opt(o, "seccomp", LinuxSeccomp.class),
        Fields.optString(o, "rootfsPropagation"),
        o.strings("maskedPaths"),
        o.strings("readonlyPaths"),
        Fields.optString(o, "mountLabel"),
        Fields.opt(o, "intelRdt", IntelRdt.class),
        Fields.opt(o, "personality", Personality.class),
        Fields.objectMap(o, "timeOffsets", TimeOffset.class));
  }

  @Override
  public Map<String, Object> toJson() {
    return new Fields.Out()
        .list("uidMappings", uidMappings)
        .list("gidMappings", gidMappings)
        .map("sysctl", sysctl)
        .opt("resources", resources)
        .str("cgroupsPath", cgroupsPath)
        .list("namespaces", namespaces)
        .list("devices", devices)
        .opt("seccomp", seccomp)
        .str("rootfsPropagation", rootfsPropagation)
        .list("maskedPaths", maskedPaths)
        .list("readonlyPaths", readonlyPaths)
        .str("mountLabel", mountLabel)
        .opt("intelRdt", intelRdt)
        .opt("personality", personality)
        .map("timeOffsets", timeOffsets)
        .build();
  }

  /** A copy with other id mappings, namespaces and resources (what rootless conversion changes). */
  public Linux withUserNamespace(
      List<IdMapping> uids,
      List<IdMapping> gids,
      List<Namespace> ns,
      @Nullable LinuxResources res) {
    return new Linux(
        uids,
        gids,
        sysctl,
        res,
        cgroupsPath,
        ns,
        devices,
        seccomp,
        rootfsPropagation,
        maskedPaths,
        readonlyPaths,
        mountLabel,
        intelRdt,
        personality,
        timeOffsets);
  }

  /** A namespace to create, or to join when {@code path} is set. */
  public record Namespace(String type, @Nullable String path) implements OciJson {
    public static Namespace fromJson(JsonObject o) throws JsonException {
      return new Namespace(o.string("type", ""), Fields.optString(o, "path"));
    }

    @Override
    public Map<String, Object> toJson() {
      return new Fields.Out().put("type", type).str("path", path).build();
    }
  }

  /** A device node to create in the container ({@code LinuxDevice}). */
  public record Device(
      String path,
      String type,
      long major,
      long minor,
      @Nullable Long fileMode,
      @Nullable Long uid,
      @Nullable Long gid)
      implements OciJson {

    public static Device fromJson(JsonObject o) throws JsonException {
      return new Device(
          o.string("path", ""),
          o.string("type", ""),
          o.longValue("major", 0),
          o.longValue("minor", 0),
          Fields.optUint32(o, "fileMode"),
          Fields.optUint32(o, "uid"),
          Fields.optUint32(o, "gid"));
    }

    @Override
    public Map<String, Object> toJson() {
      return new Fields.Out()
          .put("path", path)
          .put("type", type)
          .put("major", major)
          .put("minor", minor)
          .opt("fileMode", fileMode)
          .opt("uid", uid)
          .opt("gid", gid)
          .build();
    }
  }

  /** Intel RDT (resctrl) class of service and schemata. */
  public record IntelRdt(
      @Nullable String closId,
      @Nullable String schemata,
      @Nullable String l3CacheSchema,
      @Nullable String memBwSchema,
      boolean enableCmt,
      boolean enableMbm)
      implements OciJson {

    public static IntelRdt fromJson(JsonObject o) throws JsonException {
      return new IntelRdt(
          Fields.optString(o, "closID"),
          Fields.optString(o, "schemata"),
          Fields.optString(o, "l3CacheSchema"),
          Fields.optString(o, "memBwSchema"),
          o.bool("enableCMT", false),
          o.bool("enableMBM", false));
    }

    @Override
    public Map<String, Object> toJson() {
      return new Fields.Out()
          .str("closID", closId)
          .str("schemata", schemata)
          .str("l3CacheSchema", l3CacheSchema)
          .str("memBwSchema", memBwSchema)
          .flag("enableCMT", enableCmt)
          .flag("enableMBM", enableMbm)
          .build();
    }
  }

  /** The execution domain ({@code personality(2)}), e.g. LINUX32. */
  public record Personality(String domain, List<String> flags) implements OciJson {
    public Personality {
      flags = List.copyOf(flags);
    }

    public static Personality fromJson(JsonObject o) throws JsonException {
      return new Personality(o.string("domain", ""), o.strings("flags"));
    }

    @Override
    public Map<String, Object> toJson() {
      return new Fields.Out().put("domain", domain).list("flags", flags).build();
    }
  }

  /** A clock offset of the time namespace (key {@code monotonic} or {@code boottime}). */
  public record TimeOffset(long secs, long nanosecs) implements OciJson {
    public static TimeOffset fromJson(JsonObject o) throws JsonException {
      return new TimeOffset(o.longValue("secs", 0), Fields.uint32(o, "nanosecs"));
    }

    @Override
    public Map<String, Object> toJson() {
      return new Fields.Out().nonZero("secs", secs).nonZero("nanosecs", nanosecs).build();
    }
  }
}
