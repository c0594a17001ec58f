package dev.silo.daemon.docker;

import com.fasterxml.jackson.databind.JsonNode;
import dev.silo.daemon.http.ApiException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * {@code HostConfig.PortBindings}: parsing and the host-port conflict check, as dockerd words them.
 */
final class PortBindings {
  private PortBindings() {}

  /** HostConfig.PortBindings → published ports; dockerd's "invalid port specification". */
  static List<ContainerRecord.PortBinding> parse(JsonNode bindings) throws ApiException {
    List<ContainerRecord.PortBinding> out = new ArrayList<>();
    if (bindings == null || bindings.isMissingNode() || bindings.isNull()) {
      return out;
    }
    for (Map.Entry<String, JsonNode> e : bindings.properties()) {
      String[] pp = e.getKey().split("/", 2);
      String proto = pp.length == 2 ? pp[1].toLowerCase(Locale.ROOT) : "tcp";
      if (!proto.equals("tcp") && !proto.equals("udp")) {
        throw ApiException.badParameter("invalid proto: " + proto);
      }
      int port = port(pp[0], false);
      for (JsonNode b : e.getValue()) {
        String hostIp = Json.text(b, "HostIp");
        if (!hostIp.isEmpty() && !hostIp.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}")) {
          throw ApiException.badParameter("invalid IP address: " + hostIp);
        }
        String hp = Json.text(b, "HostPort");
        int hostPort = hp.isEmpty() ? port : port(hp, false);
        out.add(new ContainerRecord.PortBinding(port, proto, hostIp, hostPort));
      }
    }
    return out;
  }

  private static int port(String text, boolean zeroOk) throws ApiException {
    try {
      int p = Integer.parseInt(text);
      if (p > (zeroOk ? -1 : 0) && p <= 65535) {
        return p;
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw ApiException.badParameter("invalid port specification: \"" + text + "\"");
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
          if (o.publicPort() == p.publicPort()
              && o.type().equals(p.type())
              && (o.hostIp().isEmpty() || p.hostIp().isEmpty() || o.hostIp().equals(p.hostIp()))) {
            throw ApiException.conflict(
                "Bind for "
                    + (p.hostIp().isEmpty() ? "0.0.0.0" : p.hostIp())
                    + ":"
                    + p.publicPort()
                    + " failed: port is already allocated");
          }
        }
      }
    }
  }
}
