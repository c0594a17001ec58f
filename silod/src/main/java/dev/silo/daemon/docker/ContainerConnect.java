package dev.silo.daemon.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.silo.daemon.http.ApiException;
import dev.silo.daemon.http.ApiRequest;
import dev.silo.daemon.http.ApiResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /networks/{id}/connect} and {@code /disconnect} (moby's ConnectToNetwork and
 * DisconnectFromNetwork): a running container gets or loses one HNS endpoint in its namespace at
 * once, a stopped one has the change recorded and the endpoint made at its next start, as dockerd
 * does. Every refusal happens before HNS is touched; a failed HNS call leaves no endpoint and no
 * record change.
 */
public final class ContainerConnect {
  private static final String NONE_CONFLICT =
      "container cannot be connected to multiple networks with one of the networks in private"
          + " (none) mode";

  private final ContainerStore store;
  private final ContainerRuntime runtime;
  private final NetworkRegistry networks;
  private final ContainerNetwork net;
  private final EventLog events;

  ContainerConnect(
      ContainerStore store,
      ContainerRuntime runtime,
      NetworkRegistry networks,
      ContainerNetwork net,
      EventLog events) {
    this.store = store;
    this.runtime = runtime;
    this.networks = networks;
    this.net = net;
    this.events = events;
  }

  /** {@code docker network connect}. */
  ApiResponse connect(ApiRequest req) throws ApiException {
    String term = req.var("id");
    JsonNode body = Json.body(req);
    ContainerRecord c = store.find(Json.text(body, "Container"));
    JsonNode epConfig = body.path("EndpointConfig");
    String ip = Json.text(epConfig.path("IPAMConfig"), "IPv4Address");
    List<String> aliases = new ArrayList<>();
    epConfig.path("Aliases").forEach(a -> aliases.add(a.asText()));
    synchronized (runtime.live(c.id()).lock) {
      c = store.find(c.id());
      boolean running = runtime.state(c).running();
      NetworkRecord n = target(term);
      checkAddress(n, ip);
      ContainerRecord.Endpoint have = c.network(n.id());
      if (have != null) {
        if (!running) {
          return ApiResponse.empty(200); // dockerd: "avoid duplicate config"
        }
        throw ApiException.forbidden(
            "endpoint with name "
                + c.name().substring(1)
                + " already exists in network "
                + n.name());
      }
      if (c.networkName().equals("none") || c.namespaceId().isEmpty()) {
        throw ApiException.badParameter(NONE_CONFLICT);
      }
      ContainerRecord.Endpoint wanted = entry(n, ip, aliases);
      if (!running) {
        store.update(c.id(), r -> r.withNetwork(wanted));
      } else {
        make(c, wanted);
        events.publish(
            "network",
            "connect",
            n.id(),
            Map.of("container", c.id(), "name", n.name(), "type", n.driver()));
      }
    }
    return ApiResponse.empty(200);
  }

  /** The network to connect to; {@code host} and {@code none} are refused as dockerd words it. */
  private NetworkRecord target(String term) throws ApiException {
    if (term.equals("host")) {
      throw ApiException.badParameter(
          "cannot connect container to host network - container must be created in host network"
              + " mode");
    }
    if (term.equals("none")) {
      throw ApiException.badParameter(NONE_CONFLICT);
    }
    return networks.find(term);
  }

  /** moby's validateEndpointSettings for the IPv4 address asked for. */
  static void checkAddress(NetworkRecord n, String ip) throws ApiException {
    if (ip.isEmpty()) {
      return;
    }
    Integer a = Cidr4.address(ip);
    String why;
    if (a == null || a == 0) {
      why = "invalid IPv4 address: " + ip;
    } else if (n.predefined() || n.ipam().isEmpty()) {
      why =
          "user specified IP address is supported only when connecting to networks with user"
              + " configured subnets";
    } else if (n.ipam().stream()
        .map(b -> Cidr4.parse(b.subnet()))
        .noneMatch(s -> s != null && s.contains(a))) {
      why = "no configured subnet or ip-range contain the IP address " + ip;
    } else {
      return;
    }
    throw ApiException.badParameter("invalid endpoint settings:\n" + why);
  }

  private static ContainerRecord.Endpoint entry(NetworkRecord n, String ip, List<String> aliases) {
    String gateway = n.ipam().isEmpty() ? "" : n.ipam().get(0).gateway();
    return new ContainerRecord.Endpoint(n.name(), n.id(), "", "", 0, gateway, "", ip, aliases);
  }

  /**
   * Makes the endpoint of {@code e} in the container's namespace and records it; on a failed record
   * the endpoint goes again.
   */
  private ContainerRecord make(ContainerRecord c, ContainerRecord.Endpoint e) throws ApiException {
    NetworkRecord n = networks.find(e.networkId());
    String name = c.id() + "-" + n.id().substring(0, 12);
    ContainerNetwork.Attachment at = net.join(c.namespaceId(), name, n.hnsId(), e.requestedIp());
    ContainerRecord.Endpoint made =
        e.madeAs(at.endpointId(), at.ipAddress(), at.prefix(), at.mac());
    ContainerRecord after;
    try {
      after = store.update(c.id(), r -> r.withNetwork(made));
      if (after == null) {
        throw ApiException.notFound("No such container: " + c.id());
      }
    } catch (ApiException failed) {
      try {
        net.leave(c.namespaceId(), at.endpointId());
      } catch (ApiException undo) {
        failed.addSuppressed(undo);
      }
      throw failed;
    }
    return after;
  }

  /**
   * Makes the endpoints of networks connected while the container was stopped (called before a
   * start, under the container's lock); each one is recorded as soon as it exists.
   */
  ContainerRecord makeEndpoints(ContainerRecord c) throws ApiException {
    ContainerRecord now = c;
    for (ContainerRecord.Endpoint e : c.networks()) {
      if (!e.made() && !now.namespaceId().isEmpty()) {
        now = make(now, e);
        events.publish(
            "network",
            "connect",
            e.networkId(),
            Map.of("container", c.id(), "name", e.network(), "type", driver(e.networkId())));
      }
    }
    return now;
  }

  private String driver(String networkId) {
    try {
      return networks.find(networkId).driver();
    } catch (ApiException e) {
      return "";
    }
  }

  /** {@code docker network disconnect}. */
  ApiResponse disconnect(ApiRequest req) throws ApiException {
    String term = req.var("id");
    JsonNode body = Json.body(req);
    ContainerRecord c = store.find(Json.text(body, "Container"));
    boolean force = body.path("Force").asBoolean(false);
    synchronized (runtime.live(c.id()).lock) {
      c = store.find(c.id());
      boolean running = runtime.state(c).running();
      NetworkRecord n = null;
      ApiException missing = null;
      try {
        n = networks.find(term);
      } catch (ApiException e) {
        missing = e;
      }
      ContainerRecord.Endpoint e;
      if (!running || (missing != null && force)) {
        String name = n == null ? term : n.name();
        e = n == null ? c.network(term) : c.network(n.id());
        if (e == null) {
          throw new ApiException(
              500, "container " + c.id() + " is not connected to the network " + name);
        }
      } else if (n != null) {
        e = c.network(n.id());
        if (e == null) {
          throw new ApiException(
              500, "container " + c.id() + " is not connected to network " + n.name());
        }
      } else {
        throw missing;
      }
      if (e.made()) {
        net.leave(c.namespaceId(), e.endpointId());
      }
      store.update(c.id(), r -> r.withoutNetwork(e.networkId()));
      if (e.made()) {
        events.publish(
            "network",
            "disconnect",
            e.networkId(),
            Map.of("container", c.id(), "name", e.network(), "type", driver(e.networkId())));
      }
    }
    return ApiResponse.empty(200);
  }

  /**
   * {@code Containers} of {@code docker network inspect}: the containers with an endpoint on it.
   */
  ObjectNode containers(NetworkRecord n) {
    ObjectNode out = Json.object();
    for (ContainerRecord c : store.list()) {
      ContainerRecord.Endpoint e = c.network(n.id());
      if (e == null || !e.made()) {
        continue;
      }
      int prefix = e.prefixLength();
      if (prefix == 0 && !n.ipam().isEmpty()) {
        Cidr4 s = Cidr4.parse(n.ipam().get(0).subnet());
        prefix = s == null ? 0 : s.bits();
      }
      out.putObject(c.id())
          .put("Name", c.name().substring(1))
          .put("EndpointID", e.endpointId())
          .put("MacAddress", e.macAddress())
          .put("IPv4Address", e.ipAddress().isEmpty() ? "" : e.ipAddress() + "/" + prefix)
          .put("IPv6Address", "");
    }
    return out;
  }
}
