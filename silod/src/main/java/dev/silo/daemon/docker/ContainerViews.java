package dev.silo.daemon.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** The Docker API's views of a container: {@code docker ps} rows and {@code docker inspect}. */
final class ContainerViews {
  private ContainerViews() {}

  /** One row of {@code GET /containers/json}. */
  static ObjectNode summary(ContainerRecord c, ContainerRuntime.State s, ContainerRuntime rt) {
    ObjectNode o = Json.object();
    o.put("Id", c.id());
    o.putArray("Names").add(c.name());
    o.put("Image", c.image());
    o.put("ImageID", c.imageId());
    o.put("Command", String.join(" ", command(c)));
    o.put("Created", seconds(c.created()));
    ArrayNode ports = o.putArray("Ports");
    for (ContainerRecord.PortBinding p : c.ports()) {
      ports
          .addObject()
          .put("IP", p.hostIp().isEmpty() ? "0.0.0.0" : p.hostIp())
          .put("PrivatePort", p.privatePort())
          .put("PublicPort", p.publicPort())
          .put("Type", p.type());
    }
    for (String key : unpublished(c)) {
      String[] pp = key.split("/", 2);
      ports.addObject().put("PrivatePort", Integer.parseInt(pp[0])).put("Type", pp[1]);
    }
    o.set("Labels", labels(c));
    o.put("State", s.status());
    o.put("Status", status(s, rt.health().status(c.id())));
    o.putObject("HostConfig").put("NetworkMode", c.networkName());
    o.putObject("NetworkSettings").set("Networks", networks(c));
    o.putArray("Mounts");
    return o;
  }

  /** {@code GET /containers/{id}/json}. */
  static ObjectNode inspect(
      ContainerRecord c, ContainerRuntime.State s, ContainerRuntime rt, ContainerStore store) {
    ObjectNode o = Json.object();
    o.put("Id", c.id());
    o.put("Created", c.created());
    var cmd = command(c);
    o.put("Path", cmd.isEmpty() ? "" : cmd.get(0));
    ArrayNode args = o.putArray("Args");
    cmd.stream().skip(1).forEach(args::add);
    ObjectNode st = o.putObject("State");
    st.put("Status", s.status())
        .put("Running", s.running())
        .put("Paused", s.status().equals("paused"))
        .put("Restarting", s.status().equals("restarting"))
        .put("OOMKilled", false)
        .put("Dead", false)
        .put("Pid", s.pid())
        .put("ExitCode", s.exitCode())
        .put("Error", "")
        .put("StartedAt", s.startedAt())
        .put(
            "FinishedAt",
            s.running() && !s.status().equals("restarting")
                ? ContainerRecord.ZERO_TIME
                : s.finishedAt());
    ObjectNode health = rt.health().view(c.id());
    if (health != null) {
      st.set("Health", health);
    }
    o.put("Image", c.imageId());
    o.put("ResolvConfPath", "");
    o.put("HostnamePath", "");
    o.put("HostsPath", "");
    o.put("LogPath", rt.monitors().logFile(c.id()).toString());
    o.put("Name", c.name());
    o.put("RestartCount", c.restartCount());
    o.put("Driver", "overlay2");
    o.put("Platform", "linux");
    o.put("MountLabel", "");
    o.put("ProcessLabel", "");
    o.put("AppArmorProfile", "");
    o.set("HostConfig", inspectHostConfig(c));
    o.putObject("GraphDriver")
        .put("Name", "overlay2")
        .putObject("Data")
        .put("UpperDir", store.scratch(c.id()).resolve("upper").toString())
        .put("WorkDir", store.scratch(c.id()).resolve("work").toString());
    o.putArray("Mounts");
    ObjectNode config = c.config().deepCopy();
    config.put("Image", c.image());
    if (!config.has("Hostname") || config.get("Hostname").asText().isEmpty()) {
      config.put("Hostname", c.shortId());
    }
    o.set("Config", config);
    ObjectNode ns = o.putObject("NetworkSettings");
    ObjectNode ports = ns.putObject("Ports");
    for (ContainerRecord.PortBinding p : c.ports()) {
      String key = p.privatePort() + "/" + p.type();
      ArrayNode list = ports.has(key) ? (ArrayNode) ports.get(key) : ports.putArray(key);
      list.addObject()
          .put("HostIp", p.hostIp().isEmpty() ? "0.0.0.0" : p.hostIp())
          .put("HostPort", Integer.toString(p.publicPort()));
    }
    for (String key : unpublished(c)) {
      ports.putNull(key);
    }
    ns.put("SandboxKey", c.namespaceId().isEmpty() ? "" : c.namespaceId());
    ContainerRecord.Endpoint primary = c.primary();
    ns.put("IPAddress", primary == null ? "" : primary.ipAddress());
    ns.put("IPPrefixLen", primary == null ? 0 : primary.prefixLength());
    ns.put("Gateway", primary == null ? "" : primary.gateway());
    ns.put("MacAddress", primary == null ? "" : primary.macAddress());
    ns.set("Networks", networks(c));
    return o;
  }

  /** Exposed ports ({@code 80/tcp}) without a binding: dockerd lists them with no host side. */
  private static java.util.List<String> unpublished(ContainerRecord c) {
    java.util.List<String> out = new java.util.ArrayList<>();
    JsonNode exposed = c.config().path("ExposedPorts");
    if (!exposed.isObject()) {
      return out;
    }
    for (var e : exposed.properties()) {
      String[] pp = e.getKey().split("/", 2);
      String key = pp[0] + "/" + (pp.length == 2 ? pp[1] : "tcp");
      boolean bound = false;
      for (ContainerRecord.PortBinding p : c.ports()) {
        bound |= key.equals(p.privatePort() + "/" + p.type());
      }
      if (!bound && pp[0].matches("[0-9]{1,5}") && !out.contains(key)) {
        out.add(key);
      }
    }
    return out;
  }

  /** NetworkSettings.Networks: one EndpointSettings per network, keyed by the network's name. */
  private static ObjectNode networks(ContainerRecord c) {
    ObjectNode nets = Json.object();
    for (ContainerRecord.Endpoint e : c.networks()) {
      ObjectNode n = nets.putObject(e.network());
      if (e.requestedIp().isEmpty()) {
        n.putNull("IPAMConfig");
      } else {
        n.putObject("IPAMConfig").put("IPv4Address", e.requestedIp());
      }
      n.putNull("Links");
      ArrayNode aliases = n.putArray("Aliases");
      e.aliases().forEach(aliases::add);
      n.put("MacAddress", e.macAddress())
          .putNull("DriverOpts")
          .put("GwPriority", 0)
          .put("NetworkID", e.networkId())
          .put("EndpointID", e.endpointId())
          .put("Gateway", e.gateway())
          .put("IPAddress", e.ipAddress())
          .put("IPPrefixLen", e.prefixLength())
          .put("IPv6Gateway", "")
          .put("GlobalIPv6Address", "")
          .put("GlobalIPv6PrefixLen", 0);
      n.putNull("DNSNames");
    }
    return nets;
  }

  private static ObjectNode labels(ContainerRecord c) {
    JsonNode l = c.config().path("Labels");
    return l.isObject() ? (ObjectNode) l.deepCopy() : Json.object();
  }

  private static java.util.List<String> command(ContainerRecord c) {
    java.util.List<String> out = new java.util.ArrayList<>();
    c.config().path("Entrypoint").forEach(n -> out.add(n.asText()));
    c.config().path("Cmd").forEach(n -> out.add(n.asText()));
    return out;
  }

  static long seconds(String rfc3339) {
    try {
      return Instant.parse(rfc3339).getEpochSecond();
    } catch (DateTimeParseException e) {
      return 0;
    }
  }

  /**
   * docker ps's Status column: "Up 3 seconds", "Restarting (1) 2 seconds ago", "Exited (0) 2
   * minutes ago", "Created"; a running container's health check in parentheses: "(healthy)",
   * "(unhealthy)", "(health: starting)".
   */
  static String status(ContainerRuntime.State s) {
    return status(s, "none");
  }

  /** {@link #status(ContainerRuntime.State)} with the container's health status ("none"). */
  static String status(ContainerRuntime.State s, String health) {
    return switch (s.status()) {
      case "running" ->
          switch (health) {
            case "none" -> "Up " + human(s.startedAt());
            case "starting" -> "Up " + human(s.startedAt()) + " (health: starting)";
            default -> "Up " + human(s.startedAt()) + " (" + health + ")";
          };
      case "restarting" -> "Restarting (" + s.exitCode() + ") " + human(s.finishedAt()) + " ago";
      case "paused" -> "Up " + human(s.startedAt()) + " (Paused)";
      case "exited" ->
          s.finishedAt().equals(ContainerRecord.ZERO_TIME)
              ? "Exited (" + s.exitCode() + ")"
              : "Exited (" + s.exitCode() + ") " + human(s.finishedAt()) + " ago";
      default -> "Created";
    };
  }

  /** Go's units.HumanDuration of the time since {@code rfc3339}. */
  static String human(String rfc3339) {
    Instant t;
    try {
      t = Instant.parse(rfc3339);
    } catch (DateTimeParseException e) {
      return "Less than a second";
    }
    long sec = Math.max(0, Duration.between(t, Instant.now()).toSeconds());
    if (sec < 1) {
      return "Less than a second";
    } else if (sec == 1) {
      return "1 second";
    } else if (sec < 60) {
      return sec + " seconds";
    } else if (sec / 60 == 1) {
      return "About a minute";
    } else if (sec < 3600) {
      return sec / 60 + " minutes";
    } else if (sec / 3600 == 1) {
      return "About an hour";
    } else if (sec < 48 * 3600) {
      return sec / 3600 + " hours";
    }
    return sec / 86400 + " days";
  }

  /**
   * The create body's HostConfig with the fields dockerd always fills in (clients such as docker-py
   * read {@code HostConfig.LogConfig.Type} without a default): the json-file log driver, the
   * network mode and the "no" restart policy when the body left them out.
   */
  private static ObjectNode inspectHostConfig(ContainerRecord c) {
    ObjectNode hc =
        c.hostConfig().isObject() ? ((ObjectNode) c.hostConfig()).deepCopy() : Json.object();
    ObjectNode log =
        hc.path("LogConfig").isObject()
            ? (ObjectNode) hc.get("LogConfig")
            : hc.putObject("LogConfig");
    if (log.path("Type").asText().isEmpty()) {
      log.put("Type", "json-file");
    }
    if (!log.path("Config").isObject()) {
      log.putObject("Config");
    }
    if (hc.path("NetworkMode").asText().isEmpty()) {
      hc.put("NetworkMode", c.networkName());
    }
    ObjectNode restart =
        hc.path("RestartPolicy").isObject()
            ? (ObjectNode) hc.get("RestartPolicy")
            : hc.putObject("RestartPolicy");
    if (restart.path("Name").asText().isEmpty()) {
      restart.put("Name", "no");
    }
    if (!restart.has("MaximumRetryCount")) {
      restart.put("MaximumRetryCount", 0);
    }
    return hc;
  }
}
