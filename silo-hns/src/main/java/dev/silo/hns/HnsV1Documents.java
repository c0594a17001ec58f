package dev.silo.hns;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.silo.api.HResult;
import dev.silo.api.HnsException;
import dev.silo.schema.hcn.EndpointPolicy;
import dev.silo.schema.hcn.HostComputeEndpoint;
import dev.silo.schema.hcn.HostComputeNetwork;
import dev.silo.schema.hcn.IpConfig;
import dev.silo.schema.hcn.NetworkType;
import dev.silo.schema.hcn.PortMappingPolicySetting;
import dev.silo.schema.hcn.Route;
import dev.silo.schema.hcn.SchemaVersion;
import dev.silo.schema.hcn.Subnet;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Conversions between HNS v1 documents (hcsshim {@code HNSNetwork}, {@code HNSEndpoint}) and the
 * HCN v2 records; v1 NAT policies become v2 PortMapping policies.
 */
final class HnsV1Documents {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private HnsV1Documents() {}

  /** Resolves a network name to its id (v1 endpoints may name their network). */
  @FunctionalInterface
  interface NetworkNames {
    String idOf(String name) throws HnsException;
  }

  static HostComputeNetwork toNetwork(JsonNode v1) throws HnsException {
    String type = HnsV1Api.text(v1, "Type");
    NetworkType t;
    try {
      t = NetworkType.of(type == null ? "nat" : type);
    } catch (IllegalArgumentException e) {
      throw HnsException.of(
          "HNSCall",
          "/networks",
          HResult.HCN_E_INVALID_NETWORK_TYPE,
          String.valueOf(e.getMessage()));
    }
    List<Subnet> subnets = new ArrayList<>();
    for (JsonNode s : v1.path("Subnets")) {
      subnets.add(
          Subnet.of(
              String.valueOf(HnsV1Api.text(s, "AddressPrefix")),
              HnsV1Api.text(s, "GatewayAddress")));
    }
    HostComputeNetwork n =
        HostComputeNetwork.of(
            String.valueOf(HnsV1Api.text(v1, "Name")), t, subnets.toArray(Subnet[]::new));
    String id = HnsV1Api.text(v1, "ID");
    return id == null ? n : n.withId(id);
  }

  static ObjectNode network(HostComputeNetwork n) {
    ObjectNode out = F.objectNode();
    out.put("ID", n.id());
    out.put("Name", n.name());
    out.put("Type", n.type() == null ? null : n.type().wireName().toLowerCase(Locale.ROOT));
    ArrayNode subnets = out.putArray("Subnets");
    for (Subnet s : n.subnets()) {
      ObjectNode sub = subnets.addObject();
      sub.put("AddressPrefix", s.ipAddressPrefix());
      for (Route r : s.routes()) {
        if ("0.0.0.0/0".equals(r.destinationPrefix())) {
          sub.put("GatewayAddress", r.nextHop());
        }
      }
    }
    return out;
  }

  static HostComputeEndpoint toEndpoint(JsonNode v1, NetworkNames names) throws HnsException {
    String network = HnsV1Api.text(v1, "VirtualNetwork");
    String networkName = HnsV1Api.text(v1, "VirtualNetworkName");
    if (network == null && networkName != null) {
      network = names.idOf(networkName);
    }
    List<EndpointPolicy> policies = new ArrayList<>();
    for (JsonNode p : v1.path("Policies")) {
      if ("NAT".equalsIgnoreCase(HnsV1Api.text(p, "Type"))) {
        String proto = HnsV1Api.text(p, "Protocol");
        int protocol =
            proto == null || proto.equalsIgnoreCase("TCP")
                ? 6
                : proto.equalsIgnoreCase("UDP") ? 17 : -1;
        policies.add(
            EndpointPolicy.of(
                new PortMappingPolicySetting(
                    protocol,
                    p.path("InternalPort").asInt(),
                    p.path("ExternalPort").asInt(),
                    null,
                    null)));
      }
    }
    String ip = HnsV1Api.text(v1, "IPAddress");
    Integer prefix = v1.has("PrefixLength") ? v1.get("PrefixLength").asInt() : null;
    List<IpConfig> ips = ip == null ? List.of() : List.of(new IpConfig(ip, prefix));
    return new HostComputeEndpoint(
        HnsV1Api.text(v1, "ID"),
        HnsV1Api.text(v1, "Name"),
        network,
        null,
        policies,
        ips,
        null,
        List.of(),
        HnsV1Api.text(v1, "MacAddress"),
        null,
        null,
        SchemaVersion.V2);
  }

  static ObjectNode endpoint(HostComputeEndpoint e, HostComputeNetwork n) {
    ObjectNode out = F.objectNode();
    out.put("ID", e.id());
    out.put("Name", e.name());
    out.put("VirtualNetwork", e.hostComputeNetwork());
    out.put("VirtualNetworkName", n.name());
    ArrayNode policies = out.putArray("Policies");
    for (PortMappingPolicySetting pm : e.policySettings(PortMappingPolicySetting.class)) {
      ObjectNode p = policies.addObject();
      p.put("Type", "NAT");
      p.put("Protocol", pm.protocol() != null && pm.protocol() == 17 ? "UDP" : "TCP");
      p.put("InternalPort", pm.internalPort());
      p.put("ExternalPort", pm.externalPort());
    }
    out.put("MacAddress", e.macAddress());
    if (!e.ipConfigurations().isEmpty()) {
      out.put("IPAddress", e.ipConfigurations().get(0).ipAddress());
      out.put("PrefixLength", e.ipConfigurations().get(0).prefixLength());
    }
    @Nullable String gateway = null;
    for (Route r : e.routes()) {
      if ("0.0.0.0/0".equals(r.destinationPrefix())) {
        gateway = r.nextHop();
      }
    }
    out.put("GatewayAddress", gateway);
    // v1 State: 1 Created, 2 Attached.
    out.put("State", e.hostComputeNamespace() == null ? 1 : 2);
    if (e.hostComputeNamespace() != null) {
      out.put("Namespace", e.hostComputeNamespace());
    }
    return out;
  }
}
