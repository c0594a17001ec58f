package dev.silo.schema.oci;

import dev.silo.schema.json.JsonException;
import dev.silo.schema.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The Windows section ({@code windows}): image layers, job-object limits, Hyper-V isolation and HNS
 * endpoints; hcsshim turns it into an HCS v2 {@code ComputeSystem} document.
 */
public record Windows(
    List<String> layerFolders,
    List<Device> devices,
    @Nullable Resources resources,
    @Nullable Object credentialSpec,
    boolean servicing,
    boolean ignoreFlushesDuringBoot,
    @Nullable HyperV hyperv,
    @Nullable Network network)
    implements OciJson {

  public Windows {
    layerFolders = List.copyOf(layerFolders);
    devices = List.copyOf(devices);
  }

  public static Windows fromJson(JsonObject o) throws JsonException {
    return new Windows(
        o.strings("layerFolders"),
        Fields.list(o, "devices", Device.class),
        Fields.opt(o, "resources", Resources.class),
        o.raw("credentialSpec"),
        o.bool("servicing", false),
        o.bool("ignoreFlushesDuringBoot", false),
        Fields.opt(o, "hyperv", HyperV.class),
        Fields.opt(o, "network", Network.class));
  }

  @Override
  public Map<String, Object> toJson() {
    return new Fields.Out()
        .put("layerFolders", layerFolders)
        .list("devices", devices)
        .opt("resources", resources)
        .opt("credentialSpec", credentialSpec)
        .flag("servicing", servicing)
        .flag("ignoreFlushesDuringBoot", ignoreFlushesDuringBoot)
        .opt("hyperv", hyperv)
        .opt("network", network)
        .build();
  }

  /** A host device mapped into the container, e.g. an interface class GUID. */
  public record Device(String id, String idType) implements OciJson {
    public static Device fromJson(JsonObject o) throws JsonException {
      return new Device(o.string("id", ""), o.string("idType", ""));
    }

    @Override
    public Map<String, Object> toJson() {
      return new Fields.Out().put("id", id).put("idType", idType).build();
    }
  }

  /** Job-object limits: memory, processor and system-drive storage. */
  public record Resources(@Nullable Memory memory, @Nullable Cpu cpu, @Nullable Storage storage)
      implements OciJson {
    public static Resources fromJson(JsonObject o) throws JsonException {
      return new Resources(
          Fields.opt(o, "memory", Memory.class),
          Fields.opt(o, "cpu", Cpu.class),
          Fields.opt(o, "storage", Storage.class));
    }

    @Override
    public Map<String, Object> toJson() {
      return new Fields.Out().opt("memory", memory).opt("cpu", cpu).opt("storage", storage).build();
    }
  }

  /** The memory limit in bytes (HCS {@code Memory.SizeInMB} after rounding). */
  public record Memory(@Nullable Long limit) implements OciJson {
    public static Memory fromJson(JsonObject o) throws JsonException {
      return new Memory(Fields.optUnsigned(o, "limit"));
    }

    @Override
    public Map<String, Object> toJson() {
      return new Fields.Out().optUnsigned("limit", limit).build();
    }
  }

  /** Processor count, relative weight (0–10000) and cap (cycles per 10,000). */
  public record Cpu(@Nullable Long count, @Nullable Integer shares, @Nullable Integer maximum)
      implements OciJson {
    public static Cpu fromJson(JsonObject o) throws JsonException {
      return new Cpu(
          Fields.optUnsigned(o, "count"),
          Fields.optUint16(o, "shares"),
          Fields.optUint16(o, "maximum"));
    }

    @Override
    public Map<String, Object> toJson() {
      return new Fields.Out()
          .optUnsigned("count", count)
          .opt("shares", shares)
          .opt("maximum", maximum)
          .build();
    }
  }

  /** System-drive limits: IOPS, bytes per second and the sandbox size in bytes. */
  public record Storage(@Nullable Long iops, @Nullable Long bps, @Nullable Long sandboxSize)
      implements OciJson {
    public static Storage fromJson(JsonObject o) throws JsonException {
      return new Storage(
          Fields.optUnsigned(o, "iops"),
          Fields.optUnsigned(o, "bps"),
          Fields.optUnsigned(o, "sandboxSize"));
    }

    @Override
    public Map<String, Object> toJson() {
      return new Fields.Out()
          .optUnsigned("iops", iops)
          .optUnsigned("bps", bps)
          .optUnsigned("sandboxSize", sandboxSize)
          .build();
    }
  }

  /** Hyper-V isolation; its presence alone asks for a utility VM. */
  public record HyperV(@Nullable String utilityVmPath) implements OciJson {
    public static HyperV fromJson(JsonObject o) throws JsonException {
      return new HyperV(Fields.optString(o, "utilityVMPath"));
    }

    @Override
    public Map<String, Object> toJson() {
      return new Fields.Out().str("utilityVMPath", utilityVmPath).build();
    }
  }

  /** HNS endpoints and DNS settings of the container. */
  public record Network(
      List<String> endpointList,
      boolean allowUnqualifiedDnsQuery,
      List<String> dnsSearchList,
      @Nullable String networkSharedContainerName,
      @Nullable String networkNamespace)
      implements OciJson {

    public Network {
      endpointList = List.copyOf(endpointList);
      dnsSearchList = List.copyOf(dnsSearchList);
    }

    public static Network fromJson(JsonObject o) throws JsonException {
      return new Network(
          o.strings("endpointList"),
          o.bool("allowUnqualifiedDNSQuery", false),
          o.strings("DNSSearchList"),
          Fields.optString(o, "networkSharedContainerName"),
          Fields.optString(o, "networkNamespace"));
    }

    @Override
    public Map<String, Object> toJson() {
      return new Fields.Out()
          .list("endpointList", endpointList)
          .flag("allowUnqualifiedDNSQuery", allowUnqualifiedDnsQuery)
          .list("DNSSearchList", dnsSearchList)
          .str("networkSharedContainerName", networkSharedContainerName)
          .str("networkNamespace", networkNamespace)
          .build();
    }
  }
}
