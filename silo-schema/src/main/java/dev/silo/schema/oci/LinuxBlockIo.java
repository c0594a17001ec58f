package dev.silo.schema.oci;

import dev.silo.schema.json.JsonException;
import dev.silo.schema.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The blkio-cgroup weights and per-device throttles ({@code linux.resources.blockIO}). */
public record LinuxBlockIo(
    @Nullable Integer weight,
    @Nullable Integer leafWeight,
    List<WeightDevice> weightDevice,
    List<ThrottleDevice> throttleReadBpsDevice,
    List<ThrottleDevice> throttleWriteBpsDevice,
    List<ThrottleDevice> throttleReadIopsDevice,
    List<ThrottleDevice> throttleWriteIopsDevice)
    implements OciJson {

  public LinuxBlockIo {
    weightDevice = List.copyOf(weightDevice);
    throttleReadBpsDevice = List.copyOf(throttleReadBpsDevice);
    throttleWriteBpsDevice = List.copyOf(throttleWriteBpsDevice);
    throttleReadIopsDevice = List.copyOf(throttleReadIopsDevice);
    throttleWriteIopsDevice = List.copyOf(throttleWriteIopsDevice);
  }

  public static LinuxBlockIo fromJson(JsonObject o) throws JsonException {
    return new LinuxBlockIo(
        Fields.optUint16(o, "weight"),
        Fields.optUint16(o, "leafWeight"),
        Fields.list(o, "weightDevice", WeightDevice.class),
        Fields.list(o, "throttleReadBpsDevice", ThrottleDevice.class),
        Fields.list(o, "throttleWriteBpsDevice", ThrottleDevice.class),
        Fields.list(o, "throttleReadIOPSDevice", ThrottleDevice.class),
        Fields.list(o, "throttleWriteIOPSDevice", ThrottleDevice.class));
  }

  @Override
  public Map<String, Object> toJson() {
    return new Fields.Out()
        .opt("weight", weight)
        .opt("leafWeight", leafWeight)
        .list("weightDevice", weightDevice)
        .list("throttleReadBpsDevice", throttleReadBpsDevice)
        .list("throttleWriteBpsDevice", throttleWriteBpsDevice)
        .list("throttleReadIOPSDevice", throttleReadIopsDevice)
        .list("throttleWriteIOPSDevice", throttleWriteIopsDevice)
        .build();
  }

  /** The weight of one block device ({@code major:minor}). */
  public record WeightDevice(
      long major, long minor, @Nullable Integer weight, @Nullable Integer leafWeight)
      implements OciJson {

    public static WeightDevice fromJson(JsonObject o) throws JsonException {
      return new WeightDevice(
          o.longValue("major", 0),
          o.longValue("minor", 0),
          Fields.optUint16(o, "weight"),
          Fields.optUint16(o, "leafWeight"));
    }

    @Override
    public Map<String, Object> toJson() {
      return new Fields.Out()
          .put("major", major)
          .put("minor", minor)
          .opt("weight", weight)
          .opt("leafWeight", leafWeight)
          .build();
    }
  }

  /** A rate limit (bytes or operations per second) of one block device. */
  public record ThrottleDevice(long major, long minor, long rate) implements OciJson {
    public static ThrottleDevice fromJson(JsonObject o) throws JsonException {
      return new ThrottleDevice(
          o.longValue("major", 0), o.longValue("minor", 0), Fields.unsigned(o, "rate"));
    }

    @Override
    public Map<String, Object> toJson() {
      return new Fields.Out()
          .put("major", major)
          .put("minor", minor)
          .unsigned("rate", rate)
          .build();
    }
  }
}
