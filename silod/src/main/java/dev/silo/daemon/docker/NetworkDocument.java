package dev.silo.daemon.docker;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.silo.daemon.http.ApiException;
import dev.silo.schema.hcn.HostComputeNetwork;
import dev.silo.schema.hcn.NetworkType;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The HCN v2 network document of a Docker network create, as Docker on Windows builds it: the
 * driver's type, one Static IPAM block per subnet (gateway as the default route), the uplink option
 * as a NetAdapterName policy and VSID/VLAN options as subnet isolation policies.
 */
final class NetworkDocument {
  static final String OPT_INTERFACE = NetworkRegistry.OPT_INTERFACE;
  static final String OPT_VSID = NetworkRegistry.OPT_VSID;
  static final String OPT_VLAN = NetworkRegistry.OPT_VLAN;

  /** Reads the built JSON with the schema's own checks (unknown fields, policy settings). */
  private static final ObjectMapper HCN =
      JsonMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .disable(DeserializationFeature.FAIL_ON_MISSING_EXTERNAL_TYPE_ID_PROPERTY)
          .build();

  private NetworkDocument() {}

  /** The HCN v2 document of a Docker network, built as JSON so the schema's checks apply. */
  static HostComputeNetwork of(
      String name, NetworkType type, List<NetworkRecord.IpamBlock> ipam, Map<String, String> opts)
      throws ApiException {
    ObjectNode doc = Json.object();
    doc.put("Name", name).put("Type", type.wireName());
    doc.putObject("SchemaVersion").put("Major", 2).put("Minor", 0);
    String uplink = opts.get(OPT_INTERFACE);
    if (uplink != null && !uplink.isEmpty()) {
      ObjectNode p = doc.putArray("Policies").addObject();
      p.put("Type", "NetAdapterName").putObject("Settings").put("NetworkAdapterName", uplink);
    }
    if (!ipam.isEmpty()) {
      ObjectNode block = doc.putArray("Ipams").addObject();
      block.put("Type", "Static");
      ArrayNode subnets = block.putArray("Subnets");
      for (NetworkRecord.IpamBlock b : ipam) {
        ObjectNode s = subnets.addObject();
        s.put("IpAddressPrefix", b.subnet());
        if (!b.gateway().isEmpty()) {
          s.putArray("Routes")
              .addObject()
              .put("NextHop", b.gateway())
              .put("DestinationPrefix", "0.0.0.0/0");
        }
        ArrayNode policies = s.putArray("Policies");
        isolation(policies, "VSID", opts.get(OPT_VSID));
        isolation(policies, "VLAN", opts.get(OPT_VLAN));
        if (policies.isEmpty()) {
          s.remove("Policies");
        }
      }
    }
    try {
      return HCN.treeToValue(doc, HostComputeNetwork.class);
    } catch (IOException | IllegalArgumentException e) {
      throw ApiException.badParameter("invalid network options: " + e.getMessage());
    }
  }

  private static void isolation(ArrayNode policies, String type, @Nullable String value)
      throws ApiException {
    if (value == null || value.isEmpty()) {
      return;
    }
    long id;
    try {
      id = Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw ApiException.badParameter("invalid " + type + " value " + value + ": not a number");
    }
    ObjectNode p = policies.addObject();
    p.put("Type", type).putObject("Settings").put("IsolationId", id);
  }
}
