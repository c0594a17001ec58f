package dev.silo.daemon.docker;

import com.fasterxml.jackson.databind.JsonNode;
import dev.silo.daemon.http.ApiException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * {@code HostConfig.PortBindings} and {@code PublishAllPorts}: parsing and the host-port conflict
 * check, as dockerd words them.
 */
final class PortBindings {
  private PortBindings() {}

  /**
   * One requested binding: a fixed host port ({@code from == to}), a host range to choose from, or
   * any port of the ephemeral range ({@code from == 0}).
   */
  record Request(int privatePort, String type, String hostIp, int from, int to) {
    boolean fixed() {
      return from != 0 && from == to;
    }

    /** dockerd's text of the requested host side, e.g. {@code 0.0.0.0:8000-8001}. */
    String hostText() {
      String ip = hostIp.isEmpty() ? "0.0.0.0" : hostIp;
      return ip + ":" + (from == to ? Integer.toString(from) : from + "-" + to);
    }
  }

  /**
   * HostConfig.PortBindings → requested bindings; with {@code PublishAllPorts} every exposed port
   * ({@code Config.ExposedPorts} and the image's) that has none gets one on an ephemeral port, as
   * dockerd does. Errors are dockerd's "invalid port specification".
   */
  static List<Request> parse(JsonNode hostConfig, JsonNode config, JsonNode imageConfig)
      throws ApiException {
    Map<String, List<Request>> byPort = new LinkedHashMap<>();
    JsonNode bindings = hostConfig.path("PortBindings");
    if (bindings.isObject()) {
      for (Map.Entry<String, JsonNode> e : bindings.properties()) {
        String key = key(e.getKey());
        String[] pp = key.split("/", 2);
        int port = port(pp[0]);
        List<Request> list = byPort.computeIfAbsent(key, k -> new ArrayList<>());
        for (JsonNode b : e.getValue()) {
          String hostIp = Json.text(b, "HostIp");
          if (!hostIp.isEmpty() && !hostIp.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}")) {
            throw ApiException.badParameter("invalid IP address: " + hostIp);
          }
          int[] range = hostRange(Json.text(b, "HostPort"));
          list.add(new Request(port, pp[1], hostIp, range[0], range[1]));
        }
      }
    }
    if (hostConfig.path("PublishAllPorts").asBoolean(false)) {
      for (JsonNode exposed :
          List.of(imageConfig.path("ExposedPorts"), config.path("ExposedPorts"))) {
        if (!exposed.isObject()) {
          continue;
        }
        for (Map.Entry<String, JsonNode> x : exposed.properties()) {
          String key = key(x.getKey());
          List<Request> list = byPort.computeIfAbsent(key, k -> new ArrayList<>());
          if (list.isEmpty()) {
            String[] pp = key.split("/", 2);
            list.add(new Request(port(pp[0]), pp[1], "", 0, 0));
          }
        }
      }
    }
    List<Request> out = new ArrayList<>();
    byPort.values().forEach(out::addAll);
    return out;
  }

  /** "80", "80/TCP" → "80/tcp"; only tcp and udp. */
  private static String key(String raw) throws ApiException {
    String[] pp = raw.split("/", 2);
    String proto = pp.length == 2 ? pp[1].toLowerCase(Locale.ROOT) : "tcp";
    if (!proto.equals("tcp") && !proto.equals("udp")) {
      throw ApiException.badParameter("invalid proto: " + proto);
    }
    return pp[0] + "/" + proto;
  }

  private static int port(String text) throws ApiException {
    try {
      int p = Integer.parseInt(text);
      if (p > 0 && p <= 65535) {
        return p;
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw invalid(text);
  }

  /**
   * A HostPort: empty or "0" (any ephemeral port → {0, 0}), "8000", or a range "8000-8010" (go's
   * nat.ParsePortRange: a reversed range is invalid).
   */
  static int[] hostRange(String text) throws ApiException {
    if (text.isEmpty()) {
      return new int[] {0, 0};
    }
    String[] parts = text.split("-", -1);
    if (parts.length > 2) {
      throw invalid(text);
    }
    int from = uint16(parts[0], text);
    int to = parts.length == 2 ? uint16(parts[1], text) : from;
    if (to < from || (from == 0) != (to == 0)) {
      throw invalid(text);
    }
    return new int[] {from, to};
  }

  private static int uint16(String s, String whole) throws ApiException {
    if (!s.matches("[0-9]{1,5}")) {
      throw invalid(whole);
    }
    int p = Integer.parseInt(s);
    if (p > 65535) {
      throw invalid(whole);
    }
    return p;
  }

  private static ApiException invalid(String text) {
    return ApiException.badParameter("invalid port specification: \"" + text + "\"");
  }

  /** Whether two bindings of one protocol would take the same host address and port. */
  static boolean clash(String type, String hostIp, int port, ContainerRecord.PortBinding o) {
    return o.publicPort() == port
        && o.type().equals(type)
        && (o.hostIp().isEmpty() || hostIp.isEmpty() || o.hostIp().equals(hostIp));
  }

  /** Fails with dockerd's "port is already allocated" if another container publishes a port. */
  static void checkFree(
      List<ContainerRecord.PortBinding> ports, List<ContainerRecord> others, @Nullable String self)
      throws ApiException {
    for (ContainerRecord.PortBinding p : ports) {
      for (ContainerRecord c : others) {
        if (c.id().equals(self)) {
          continue;
        }
        for (ContainerRecord.PortBinding o : c.ports()) {
          if (clash(p.type(), p.hostIp(), p.publicPort(), o)) {
            throw allocated(p.hostIp(), Integer.toString(p.publicPort()));
          }
        }
      }
    }
  }

  static ApiException allocated(String hostIp, String port) {
    return ApiException.conflict(
        "Bind for "
            + (hostIp.isEmpty() ? "0.0.0.0" : hostIp)
            + ":"
            + port
            + " failed: port is already allocated");
  }
}
