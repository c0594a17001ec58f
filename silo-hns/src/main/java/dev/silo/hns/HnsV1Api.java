package dev.silo.hns;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.silo.api.HResult;
import dev.silo.api.HnsException;
import dev.silo.hns.internal.HcnCodec;
import dev.silo.schema.hcn.HostComputeEndpoint;
import dev.silo.schema.hcn.HostComputeNamespace;
import dev.silo.schema.hcn.HostComputeNetwork;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The HNS v1 surface, {@code HNSCall(method, path, request)} (hcsshim {@code internal/hns}), as a
 * thin translator onto the v2 service. Every reply is the v1 envelope {@code {"Success": bool,
 * "Error": string, "Output": …}}; v1 documents are converted with {@link HnsV1Documents}.
 */
public final class HnsV1Api {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private final HostNetworkService hns;

  public HnsV1Api(HostNetworkService hns) {
    this.hns = hns;
  }

  /** Runs one call and returns the reply envelope as JSON text. */
  public String call(String method, String path, @Nullable String request) {
    ObjectNode reply = F.objectNode();
    try {
      JsonNode body =
          request == null || request.isBlank()
              ? F.objectNode()
              : HcnCodec.read("HNSCall", path, request, JsonNode.class);
      JsonNode output = route(method.toUpperCase(Locale.ROOT), path, body);
      reply.put("Success", true);
      reply.set("Output", output);
    } catch (HnsException e) {
      reply.put("Success", false);
      reply.put("Error", e.getMessage());
    }
    return HcnCodec.write(reply);
  }

  private JsonNode route(String method, String path, JsonNode body) throws HnsException {
    List<String> parts =
        java.util.Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toList();
    if (parts.isEmpty()) {
      throw unsupported(method, path);
    }
    String id = parts.size() > 1 ? parts.get(1) : null;
    String action = parts.size() > 2 ? parts.get(2) : null;
    return switch (parts.get(0).toLowerCase(Locale.ROOT)) {
      case "networks" -> networks(method, path, id, body);
      case "endpoints" -> endpoints(method, path, id, action, body);
      case "namespaces" -> namespaces(method, path, id, action, body);
      default -> throw unsupported(method, path);
    };
  }

  private JsonNode networks(String method, String path, @Nullable String id, JsonNode body)
      throws HnsException {
    if (method.equals("GET") && id == null) {
      ArrayNode out = F.arrayNode();
      for (HostComputeNetwork n : hns.listNetworks(null)) {
        out.add(HnsV1Documents.network(n));
      }
      return out;
    }
    if (method.equals("GET") && id != null) {
      return HnsV1Documents.network(hns.getNetworkById(id));
    }
    if (method.equals("POST") && id == null) {
      return HnsV1Documents.network(hns.createNetwork(HnsV1Documents.toNetwork(body)));
    }
    if (method.equals("DELETE") && id != null) {
      hns.deleteNetwork(id);
      return F.nullNode();
    }
    throw unsupported(method, path);
  }

  private JsonNode endpoints(
      String method, String path, @Nullable String id, @Nullable String action, JsonNode body)
      throws HnsException {
    if (method.equals("GET") && id == null) {
      ArrayNode out = F.arrayNode();
      for (HostComputeEndpoint e : hns.listEndpoints(null)) {
        out.add(endpoint(e));
      }
      return out;
    }
    if (method.equals("GET") && id != null && action == null) {
      return endpoint(hns.getEndpointById(id));
    }
    if (method.equals("POST") && id == null) {
      return endpoint(hns.createEndpoint(HnsV1Documents.toEndpoint(body, this::networkIdByName)));
    }
    if (method.equals("POST") && id != null && "attach".equalsIgnoreCase(action)) {
      String ns = text(body, "ContainerId");
      if (ns == null) {
        throw HnsException.of(
            "HNSCall", id, HResult.HCN_E_INVALID_JSON, "attach needs ContainerId");
      }
      ensureNamespace(ns);
      hns.addNamespaceEndpoint(ns, id);
      return endpoint(hns.getEndpointById(id));
    }
    if (method.equals("POST") && id != null && "detach".equalsIgnoreCase(action)) {
      HostComputeEndpoint e = hns.getEndpointById(id);
      if (e.hostComputeNamespace() != null) {
        hns.removeNamespaceEndpoint(e.hostComputeNamespace(), id);
      }
      return endpoint(hns.getEndpointById(id));
    }
    if (method.equals("DELETE") && id != null) {
      hns.deleteEndpoint(id);
      return F.nullNode();
    }
    throw unsupported(method, path);
  }

  private JsonNode namespaces(
      String method, String path, @Nullable String id, @Nullable String action, JsonNode body)
      throws HnsException {
    if (method.equals("GET") && id == null) {
      return HcnCodec.tree(hns.listNamespaces(null));
    }
    if (method.equals("GET") && id != null) {
      return HcnCodec.tree(hns.getNamespaceById(id));
    }
    if (method.equals("POST") && id == null) {
      String wanted = text(body, "ID");
      return HcnCodec.tree(
          hns.createNamespace(
              new HostComputeNamespace(wanted, null, "Host", List.of(), null, null)));
    }
    if (method.equals("POST") && id != null && action != null) {
      String ep = text(body.path("Data"), "Id");
      if (ep == null) {
        ep = text(body.path("Data"), "ID");
      }
      if (ep == null || !"Endpoint".equalsIgnoreCase(text(body, "Type"))) {
        throw HnsException.of(
            "HNSCall",
            id,
            HResult.HCN_E_INVALID_JSON,
            "resource must be {Type: Endpoint, Data: {Id}}");
      }
      return HcnCodec.tree(
          switch (action.toLowerCase(Locale.ROOT)) {
            case "addresource" -> hns.addNamespaceEndpoint(id, ep);
            case "removeresource" -> hns.removeNamespaceEndpoint(id, ep);
            default -> throw unsupported(method, path);
          });
    }
    if (method.equals("DELETE") && id != null) {
      hns.deleteNamespace(id);
      return F.nullNode();
    }
    throw unsupported(method, path);
  }

  private ObjectNode endpoint(HostComputeEndpoint e) throws HnsException {
    HostComputeNetwork n = hns.getNetworkById(String.valueOf(e.hostComputeNetwork()));
    return HnsV1Documents.endpoint(e, n);
  }

  private String networkIdByName(String name) throws HnsException {
    return String.valueOf(hns.getNetworkByName(name).id());
  }

  private void ensureNamespace(String id) throws HnsException {
    try {
      hns.getNamespaceById(id);
    } catch (HnsException.NotFound e) {
      hns.createNamespace(new HostComputeNamespace(id, null, "Host", List.of(), null, null));
    }
  }

  static @Nullable String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static HnsException unsupported(String method, String path) {
    return HnsException.of(
        "HNSCall",
        path,
        HResult.HCN_E_REQUEST_UNSUPPORTED,
        method + " " + path + " is not supported");
  }
}
