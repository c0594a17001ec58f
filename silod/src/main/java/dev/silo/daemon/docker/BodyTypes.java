package dev.silo.daemon.docker;

import com.fasterxml.jackson.databind.JsonNode;
import dev.silo.daemon.http.ApiException;
import java.util.Map;

/**
 * The types of the known fields of a request body (container create, exec create, network create,
 * volume create), checked as dockerd's Go decoder checks them: a field of the wrong type is a 400
 * naming the field and the type it must have, in Go's words ({@code json: cannot unmarshal number
 * into Go struct field ContainerConfigWrapper.Image of type string}); {@code null} is allowed
 * everywhere and unknown fields are ignored, as in Go.
 */
final class BodyTypes {
  private BodyTypes() {}

  /** The Go type of a field, as the error names it. */
  private enum Kind {
    STRING("string"),
    BOOL("bool"),
    INT64("int64"),
    INT("int"),
    UINT16("uint16"),
    UINT64("uint64"),
    STRINGS("[]string"),
    STRSLICE("strslice.StrSlice"),
    STRING_MAP("map[string]string"),
    OBJECT("struct"),
    ARRAY("slice");

    final String goName;

    Kind(String goName) {
      this.goName = goName;
    }
  }

  private static final Map<String, Kind> CONFIG =
      Map.ofEntries(
          Map.entry("Hostname", Kind.STRING),
          Map.entry("Domainname", Kind.STRING),
          Map.entry("User", Kind.STRING),
          Map.entry("AttachStdin", Kind.BOOL),
          Map.entry("AttachStdout", Kind.BOOL),
          Map.entry("AttachStderr", Kind.BOOL),
          Map.entry("ExposedPorts", Kind.OBJECT),
          Map.entry("Tty", Kind.BOOL),
          Map.entry("OpenStdin", Kind.BOOL),
          Map.entry("StdinOnce", Kind.BOOL),
          Map.entry("Env", Kind.STRINGS),
          Map.entry("Cmd", Kind.STRSLICE),
          Map.entry("Healthcheck", Kind.OBJECT),
          Map.entry("ArgsEscaped", Kind.BOOL),
          Map.entry("Image", Kind.STRING),
          Map.entry("Volumes", Kind.OBJECT),
          Map.entry("WorkingDir", Kind.STRING),
          Map.entry("Entrypoint", Kind.STRSLICE),
          Map.entry("NetworkDisabled", Kind.BOOL),
          Map.entry("MacAddress", Kind.STRING),
          Map.entry("OnBuild", Kind.STRINGS),
          Map.entry("Labels", Kind.STRING_MAP),
          Map.entry("StopSignal", Kind.STRING),
          Map.entry("StopTimeout", Kind.INT),
          Map.entry("Shell", Kind.STRSLICE),
          Map.entry("HostConfig", Kind.OBJECT),
          Map.entry("NetworkingConfig", Kind.OBJECT));

  private static final Map<String, Kind> HOST_CONFIG =
      Map.ofEntries(
          Map.entry("Binds", Kind.STRINGS),
          Map.entry("ContainerIDFile", Kind.STRING),
          Map.entry("LogConfig", Kind.OBJECT),
          Map.entry("NetworkMode", Kind.STRING),
          Map.entry("PortBindings", Kind.OBJECT),
          Map.entry("RestartPolicy", Kind.OBJECT),
          Map.entry("AutoRemove", Kind.BOOL),
          Map.entry("VolumeDriver", Kind.STRING),
          Map.entry("VolumesFrom", Kind.STRINGS),
          Map.entry("ConsoleSize", Kind.ARRAY),
          Map.entry("Annotations", Kind.STRING_MAP),
          Map.entry("CapAdd", Kind.STRSLICE),
          Map.entry("CapDrop", Kind.STRSLICE),
          Map.entry("CgroupnsMode", Kind.STRING),
          Map.entry("Dns", Kind.STRINGS),
          Map.entry("DnsOptions", Kind.STRINGS),
          Map.entry("DnsSearch", Kind.STRINGS),
          Map.entry("ExtraHosts", Kind.STRINGS),
          Map.entry("GroupAdd", Kind.STRINGS),
          Map.entry("IpcMode", Kind.STRING),
          Map.entry("Cgroup", Kind.STRING),
          Map.entry("Links", Kind.STRINGS),
          Map.entry("OomScoreAdj", Kind.INT),
          Map.entry("PidMode", Kind.STRING),
          Map.entry("Privileged", Kind.BOOL),
          Map.entry("PublishAllPorts", Kind.BOOL),
          Map.entry("ReadonlyRootfs", Kind.BOOL),
          Map.entry("SecurityOpt", Kind.STRINGS),
          Map.entry("StorageOpt", Kind.STRING_MAP),
          Map.entry("Tmpfs", Kind.STRING_MAP),
          Map.entry("UTSMode", Kind.STRING),
          Map.entry("UsernsMode", Kind.STRING),
          Map.entry("ShmSize", Kind.INT64),
          Map.entry("Sysctls", Kind.STRING_MAP),
          Map.entry("Runtime", Kind.STRING),
          Map.entry("Isolation", Kind.STRING),
          Map.entry("CpuShares", Kind.INT64),
          Map.entry("Memory", Kind.INT64),
          Map.entry("NanoCpus", Kind.INT64),
          Map.entry("CgroupParent", Kind.STRING),
          Map.entry("BlkioWeight", Kind.UINT16),
          Map.entry("CpuPeriod", Kind.INT64),
          Map.entry("CpuQuota", Kind.INT64),
          Map.entry("CpuRealtimePeriod", Kind.INT64),
          Map.entry("CpuRealtimeRuntime", Kind.INT64),
          Map.entry("CpusetCpus", Kind.STRING),
          Map.entry("CpusetMems", Kind.STRING),
          Map.entry("Devices", Kind.ARRAY),
          Map.entry("DeviceCgroupRules", Kind.STRINGS),
          Map.entry("DeviceRequests", Kind.ARRAY),
          Map.entry("MemoryReservation", Kind.INT64),
          Map.entry("MemorySwap", Kind.INT64),
          Map.entry("MemorySwappiness", Kind.INT64),
          Map.entry("OomKillDisable", Kind.BOOL),
          Map.entry("PidsLimit", Kind.INT64),
          Map.entry("Ulimits", Kind.ARRAY),
          Map.entry("CpuCount", Kind.INT64),
          Map.entry("CpuPercent", Kind.INT64),
          Map.entry("IOMaximumIOps", Kind.UINT64),
          Map.entry("IOMaximumBandwidth", Kind.UINT64),
          Map.entry("Mounts", Kind.ARRAY),
          Map.entry("MaskedPaths", Kind.STRINGS),
          Map.entry("ReadonlyPaths", Kind.STRINGS),
          Map.entry("Init", Kind.BOOL));

  private static final Map<String, Kind> RESTART_POLICY =
      Map.of("Name", Kind.STRING, "MaximumRetryCount", Kind.INT);

  private static final Map<String, Kind> EXEC =
      Map.ofEntries(
          Map.entry("User", Kind.STRING),
          Map.entry("Privileged", Kind.BOOL),
          Map.entry("Tty", Kind.BOOL),
          Map.entry("ConsoleSize", Kind.ARRAY),
          Map.entry("AttachStdin", Kind.BOOL),
          Map.entry("AttachStderr", Kind.BOOL),
          Map.entry("AttachStdout", Kind.BOOL),
          Map.entry("Detach", Kind.BOOL),
          Map.entry("DetachKeys", Kind.STRING),
          Map.entry("Env", Kind.STRINGS),
          Map.entry("WorkingDir", Kind.STRING),
          Map.entry("Cmd", Kind.STRSLICE));

  private static final Map<String, Kind> NETWORK =
      Map.ofEntries(
          Map.entry("Name", Kind.STRING),
          Map.entry("CheckDuplicate", Kind.BOOL),
          Map.entry("Driver", Kind.STRING),
          Map.entry("Scope", Kind.STRING),
          Map.entry("EnableIPv6", Kind.BOOL),
          Map.entry("EnableIPv4", Kind.BOOL),
          Map.entry("IPAM", Kind.OBJECT),
          Map.entry("Internal", Kind.BOOL),
          Map.entry("Attachable", Kind.BOOL),
          Map.entry("Ingress", Kind.BOOL),
          Map.entry("ConfigOnly", Kind.BOOL),
          Map.entry("ConfigFrom", Kind.OBJECT),
          Map.entry("Options", Kind.STRING_MAP),
          Map.entry("Labels", Kind.STRING_MAP));

  private static final Map<String, Kind> VOLUME =
      Map.of(
          "Name", Kind.STRING,
          "Driver", Kind.STRING,
          "DriverOpts", Kind.STRING_MAP,
          "Labels", Kind.STRING_MAP,
          "ClusterVolumeSpec", Kind.OBJECT);

  /** Refuses the first known field of a container create body that does not fit its Go type. */
  static void container(JsonNode body) throws ApiException {
    root(body, "container.ContainerConfigWrapper");
    checkFields(body, CONFIG, "ContainerConfigWrapper.");
    JsonNode hostConfig = body.path("HostConfig");
    if (hostConfig.isObject()) {
      checkFields(hostConfig, HOST_CONFIG, "HostConfig.HostConfig.");
      JsonNode restart = hostConfig.path("RestartPolicy");
      if (restart.isObject()) {
        checkFields(restart, RESTART_POLICY, "RestartPolicy.HostConfig.RestartPolicy.");
      }
    }
  }

  /** The same for an exec create body. */
  static void exec(JsonNode body) throws ApiException {
    root(body, "container.ExecOptions");
    checkFields(body, EXEC, "ExecOptions.");
  }

  /** The same for a network create body. */
  static void network(JsonNode body) throws ApiException {
    root(body, "network.CreateRequest");
    checkFields(body, NETWORK, "CreateRequest.");
  }

  /** The same for a volume create body. */
  static void volume(JsonNode body) throws ApiException {
    root(body, "volume.CreateOptions");
    checkFields(body, VOLUME, "CreateOptions.");
  }

  private static void root(JsonNode body, String goType) throws ApiException {
    if (!body.isObject()) {
      throw ApiException.badParameter(
          "json: cannot unmarshal " + jsonType(body) + " into Go value of type " + goType);
    }
  }

  private static void checkFields(JsonNode object, Map<String, Kind> known, String prefix)
      throws ApiException {
    for (Map.Entry<String, JsonNode> e : object.properties()) {
      Kind kind = known.get(e.getKey());
      if (kind != null && !fits(e.getValue(), kind)) {
        throw unmarshal(e.getValue(), prefix + e.getKey(), kind);
      }
    }
  }

  private static boolean fits(JsonNode v, Kind kind) {
    if (v.isNull()) {
      return true;
    }
    return switch (kind) {
      case STRING -> v.isTextual();
      case BOOL -> v.isBoolean();
      case INT64 -> v.isIntegralNumber() && v.canConvertToLong();
      case INT -> v.isIntegralNumber() && v.canConvertToLong();
      case UINT16 ->
          v.isIntegralNumber()
              && v.canConvertToInt()
              && v.intValue() >= 0
              && v.intValue() <= 0xffff;
      case UINT64 ->
          v.isIntegralNumber()
              && v.bigIntegerValue().signum() >= 0
              && v.bigIntegerValue().bitLength() <= 64;
      case STRINGS -> v.isArray() && allText(v);
      case STRSLICE -> v.isTextual() || (v.isArray() && allText(v));
      case STRING_MAP -> v.isObject() && allText(v);
      case OBJECT -> v.isObject();
      case ARRAY -> v.isArray();
    };
  }

  private static boolean allText(JsonNode container) {
    for (JsonNode item : container) {
      if (!item.isTextual() && !item.isNull()) {
        return false;
      }
    }
    return true;
  }

  /** Go's words: a number is named with its literal only when a number was wanted. */
  private static ApiException unmarshal(JsonNode v, String field, Kind kind) {
    boolean numeric =
        kind == Kind.INT64 || kind == Kind.INT || kind == Kind.UINT16 || kind == Kind.UINT64;
    String value = v.isNumber() ? (numeric ? "number " + v.asText() : "number") : jsonType(v);
    return ApiException.badParameter(
        "json: cannot unmarshal "
            + value
            + " into Go struct field "
            + field
            + " of type "
            + kind.goName);
  }

  private static String jsonType(JsonNode v) {
    if (v.isTextual()) {
      return "string";
    }
    if (v.isBoolean()) {
      return "bool";
    }
    if (v.isArray()) {
      return "array";
    }
    if (v.isNumber()) {
      return "number";
    }
    return "object";
  }
}
