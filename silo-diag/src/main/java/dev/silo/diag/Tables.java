package dev.silo.diag;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.silo.api.HResult;
import dev.silo.api.HnsException;
import dev.silo.diag.HnsDiag.Kind;
import dev.silo.hns.HostNetworkService;
import dev.silo.schema.hcn.HostComputeEndpoint;
import dev.silo.schema.hcn.HostComputeLoadBalancer;
import dev.silo.schema.hcn.HostComputeNamespace;
import dev.silo.schema.hcn.HostComputeNetwork;
import dev.silo.schema.hcn.IpConfig;
import dev.silo.schema.hcn.Ipam;
import dev.silo.schema.hcn.LoadBalancerPortMapping;
import dev.silo.schema.hcn.Subnet;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** hnsdiag's per-kind dispatch: list, create, delete, and the table rows of each object kind. */
final class Tables {
  private Tables() {}

  static String singular(Kind k) {
    return k.name().toLowerCase(Locale.ROOT);
  }

  static String plural(Kind k) {
    return singular(k) + "s";
  }

  static List<?> list(HostNetworkService h, Kind k) throws HnsException {
    return switch (k) {
      case NETWORK -> h.listNetworks(null);
      case ENDPOINT -> h.listEndpoints(null);
      case NAMESPACE -> h.listNamespaces(null);
      case LOADBALANCER -> h.listLoadBalancers(null);
    };
  }

  static Object create(HostNetworkService h, Kind k, String json) throws HnsException {
    return switch (k) {
      case NETWORK -> h.createNetwork(read(json, HostComputeNetwork.class));
      case ENDPOINT -> h.createEndpoint(read(json, HostComputeEndpoint.class));
      case NAMESPACE -> h.createNamespace(read(json, HostComputeNamespace.class));
      case LOADBALANCER -> h.createLoadBalancer(read(json, HostComputeLoadBalancer.class));
    };
  }

  static void delete(HostNetworkService h, Kind k, String id) throws HnsException {
    switch (k) {
      case NETWORK -> h.deleteNetwork(id);
      case ENDPOINT -> h.deleteEndpoint(id);
      case NAMESPACE -> h.deleteNamespace(id);
      case LOADBALANCER -> h.deleteLoadBalancer(id);
    }
  }

  /** An endpoint by ID, else by name (what users type after creating one from a file). */
  static HostComputeEndpoint endpoint(HostNetworkService h, String idOrName) throws HnsException {
    try {
      return h.getEndpointById(idOrName);
    } catch (HnsException.NotFound | HnsException.InvalidInput e) {
      try {
        return h.getEndpointByName(idOrName);
      } catch (HnsException.NotFound n) {
        throw HnsException.of(
            "hcnOpenEndpoint",
            idOrName,
            HResult.HCN_E_ENDPOINT_NOT_FOUND,
            "Endpoint " + idOrName + " not found");
      }
    }
  }

  /** Parses an HCN document; bad JSON is HCN_E_INVALID_JSON with Jackson's first line. */
  static <T> T read(String json, Class<T> type) throws HnsException {
    try {
      T v = HnsDiag.READ.readValue(json, type);
      if (v == null) {
        throw HnsException.of("parse", "", HResult.HCN_E_INVALID_JSON, "empty document");
      }
      return v;
    } catch (JsonProcessingException e) {
      String m = e.getOriginalMessage() == null ? e.toString() : e.getOriginalMessage();
      String where =
          e.getLocation() == null
              ? ""
              : " at line "
                  + e.getLocation().getLineNr()
                  + ", column "
                  + e.getLocation().getColumnNr();
      return fail(type.getSimpleName() + ": " + m.lines().findFirst().orElse(m) + where, e);
    }
  }

  private static <T> T fail(String detail, Exception e) throws HnsException {
    throw HnsException.of("parse", "", HResult.HCN_E_INVALID_JSON, detail, e);
  }

  static void print(PrintWriter out, Kind k, List<?> rows) {
    switch (k) {
      case NETWORK -> {
        String f = "%-36s  %-16s  %-10s  %s%n";
        out.printf(f, "ID", "NAME", "TYPE", "SUBNETS");
        for (Object o : rows) {
          HostComputeNetwork n = (HostComputeNetwork) o;
          out.printf(f, n.id(), s(n.name()), s(n.type()), String.join(",", subnets(n)));
        }
      }
      case ENDPOINT -> {
        String f = "%-36s  %-16s  %-36s  %-36s  %s%n";
        out.printf(f, "ID", "NAME", "NETWORK", "NAMESPACE", "IP");
        for (Object o : rows) {
          HostComputeEndpoint e = (HostComputeEndpoint) o;
          out.printf(
              f,
              e.id(),
              s(e.name()),
              s(e.hostComputeNetwork()),
              s(e.hostComputeNamespace()),
              ips(e));
        }
      }
      case NAMESPACE -> {
        String f = "%-36s  %-6s  %-6s  %s%n";
        out.printf(f, "ID", "NUMBER", "TYPE", "ENDPOINTS");
        for (Object o : rows) {
          HostComputeNamespace n = (HostComputeNamespace) o;
          out.printf(f, n.id(), s(n.namespaceId()), s(n.type()), String.join(",", n.endpointIds()));
        }
      }
      case LOADBALANCER -> printLoadBalancers(out, rows);
    }
  }

  private static void printLoadBalancers(PrintWriter out, List<?> rows) {
    String f = "%-36s  %-20s  %-24s  %s%n";
    out.printf(f, "ID", "FRONTENDS", "PORTS", "BACKENDS");
    for (Object o : rows) {
      HostComputeLoadBalancer lb = (HostComputeLoadBalancer) o;
      List<String> ports = new ArrayList<>();
      for (LoadBalancerPortMapping p : lb.portMappings()) {
        ports.add(p.externalPort() + "->" + p.internalPort() + "/" + s(p.protocol()));
      }
      out.printf(
          f,
          lb.id(),
          String.join(",", lb.frontendVips()),
          String.join(",", ports),
          lb.hostComputeEndpoints().size());
    }
  }

  private static List<String> subnets(HostComputeNetwork n) {
    List<String> out = new ArrayList<>();
    for (Ipam i : n.ipams()) {
      for (Subnet s : i.subnets()) {
        out.add(s(s.ipAddressPrefix()));
      }
    }
    return out;
  }

  static String ips(HostComputeEndpoint e) {
    List<String> out = new ArrayList<>();
    for (IpConfig c : e.ipConfigurations()) {
      out.add(s(c.ipAddress()) + (c.prefixLength() == null ? "" : "/" + c.prefixLength()));
    }
    return String.join(",", out);
  }

  private static String s(@Nullable Object o) {
    return o == null ? "-" : o.toString();
  }
}
