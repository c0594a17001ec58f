package dev.silo.diag;

import com.fasterxml.jackson.databind.JsonNode;
import dev.silo.api.HResult;
import dev.silo.api.HnsException;
import dev.silo.hcs.net.Hns;
import dev.silo.hns.HostNetworkService;
import dev.silo.linux.net.IfAddress;
import dev.silo.linux.net.Link;
import dev.silo.linux.net.NetNs;
import dev.silo.linux.net.Nftables;
import dev.silo.linux.net.Route;
import dev.silo.linux.net.Rtnetlink;
import dev.silo.schema.hcn.HostComputeEndpoint;
import dev.silo.schema.hcn.HostComputeLoadBalancer;
import dev.silo.schema.hcn.HostComputeNamespace;
import dev.silo.schema.hcn.HostComputeNetwork;
import dev.silo.schema.hcn.IpConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code hnsdiag show ID}: one object with the kernel objects behind it — its network namespace
 * (inode, links, addresses, routes inside) and the entries of Silo's nftables table that name it.
 */
@Command(
    name = "show",
    description = "Show an object and the kernel objects behind it (netns, links, routes, nft).",
    footer = {"", "Example:", "  hnsdiag show web --json"})
final class HnsShow extends HnsDiag.Common implements Callable<Integer> {
  /** The nftables table the dataplane programs, in the families it may use. */
  private static final String TABLE = "silo";

  @Parameters(index = "0", paramLabel = "ID", description = "object ID (endpoints: ID or name)")
  String id = "";

  @Override
  public Integer call() throws Exception {
    HostNetworkService h = hns();
    Map<String, Object> doc = new LinkedHashMap<>();
    List<String> keys = new ArrayList<>();
    String namespace = find(h, doc, keys);
    Map<String, Object> kernel = new LinkedHashMap<>();
    if (namespace != null) {
      kernel.put("Netns", netns(namespace));
    }
    kernel.put("HostLinks", hostLinks(keys));
    kernel.put("Nftables", nft(keys));
    doc.put("Kernel", kernel);
    if (json) {
      printJson(doc);
    } else {
      printText(doc);
    }
    return 0;
  }

  /** Finds the object of any kind; returns the namespace whose netns holds it, if any. */
  private @Nullable String find(HostNetworkService h, Map<String, Object> doc, List<String> keys)
      throws HnsException {
    keys.add(id);
    keys.add(id.length() > 8 ? id.substring(0, 8) : id);
    try {
      HostComputeEndpoint e = Tables.endpoint(h, id);
      doc.put("Kind", "endpoint");
      doc.put("Object", e);
      keys.set(0, String.valueOf(e.id()));
      keys.set(1, String.valueOf(e.id()).substring(0, 8));
      for (IpConfig c : e.ipConfigurations()) {
        if (c.ipAddress() != null) {
          keys.add("\"" + c.ipAddress() + "\"");
        }
      }
      return e.hostComputeNamespace();
    } catch (HnsException.NotFound ignored) {
      // not an endpoint: try the other kinds
    }
    try {
      HostComputeNamespace ns = h.getNamespaceById(id);
      doc.put("Kind", "namespace");
      doc.put("Object", ns);
      return ns.id();
    } catch (HnsException.NotFound | HnsException.InvalidInput ignored) {
      // not a namespace
    }
    try {
      HostComputeNetwork n = h.getNetworkById(id);
      doc.put("Kind", "network");
      doc.put("Object", n);
      return null;
    } catch (HnsException.NotFound | HnsException.InvalidInput ignored) {
      // not a network
    }
    try {
      HostComputeLoadBalancer lb = h.getLoadBalancerById(id);
      doc.put("Kind", "loadbalancer");
      doc.put("Object", lb);
      lb.frontendVips().forEach(v -> keys.add("\"" + v + "\""));
      return null;
    } catch (HnsException.NotFound | HnsException.InvalidInput ignored) {
      throw HnsException.of(
          "hnsdiag show",
          id,
          HResult.ERROR_NOT_FOUND,
          "no network, endpoint, namespace or" + " load balancer has ID " + id);
    }
  }

  private static Map<String, Object> netns(String namespaceId) {
    Map<String, Object> m = new LinkedHashMap<>();
    Path path = Hns.netnsPath(namespaceId);
    m.put("Path", path.toString());
    if (!Files.exists(path)) {
      m.put("Error", "missing");
      return m;
    }
    try {
      m.put("Inode", Files.getAttribute(path, "unix:ino"));
      try (Rtnetlink rt = Rtnetlink.open(NetNs.ofPath(path))) {
        m.putAll(contents(rt, null));
      }
    } catch (java.io.IOException | RuntimeException e) {
      m.put("Error", String.valueOf(e.getMessage()));
    }
    return m;
  }

  /** Links, addresses and routes, keeping links whose name has a key when keys are given. */
  private static Map<String, Object> contents(Rtnetlink rt, @Nullable List<String> keys) {
    List<String> links = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (Link l : rt.links().list()) {
      if (keys == null || keys.stream().anyMatch(k -> l.name().contains(k))) {
        names.add(l.name());
        links.add(
            l.name()
                + " "
                + (l.kind() == null ? "" : l.kind() + " ")
                + (l.mac() == null ? "" : l.mac() + " ")
                + (l.up() ? "UP" : "DOWN")
                + " mtu "
                + l.mtu());
      }
    }
    List<String> addrs = new ArrayList<>();
    for (IfAddress a : rt.addresses().list(null)) {
      if (names.contains(a.device())) {
        addrs.add(a.device() + " " + a.prefix());
      }
    }
    List<String> routes = new ArrayList<>();
    for (Route r : rt.routes().list(Route.MAIN)) {
      if (r.device() == null || names.contains(r.device())) {
        routes.add(
            r.dst()
                + (r.gateway() == null ? "" : " via " + r.gateway().getHostAddress())
                + (r.device() == null ? "" : " dev " + r.device()));
      }
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("Links", links);
    m.put("Addresses", addrs);
    m.put("Routes", routes);
    return m;
  }

  private Object hostLinks(List<String> keys) {
    try (Rtnetlink rt =
        hostNetns == null ? Rtnetlink.open() : Rtnetlink.open(NetNs.open(hostNetns))) {
      return contents(rt, keys.subList(0, 2));
    } catch (RuntimeException e) {
      return Map.of("Error", String.valueOf(e.getMessage()));
    }
  }

  /** The entries of Silo's nft table (ip or inet) whose JSON mentions the object. */
  private Object nft(List<String> keys) {
    List<JsonNode> hits = new ArrayList<>();
    try (Nftables nft = Nftables.open(hostNetns == null ? null : NetNs.open(hostNetns))) {
      for (String family : List.of("ip", "inet")) {
        String text;
        try {
          text = nft.listTableJson(family, TABLE);
        } catch (RuntimeException e) {
          continue; // no such table in this family
        }
        for (JsonNode n : HnsDiag.READ.readTree(text).path("nftables")) {
          String s = n.toString();
          if (keys.stream().anyMatch(s::contains)) {
            hits.add(n);
          }
        }
      }
    } catch (RuntimeException | com.fasterxml.jackson.core.JsonProcessingException e) {
      return Map.of("Error", String.valueOf(e.getMessage()));
    }
    return hits;
  }

  private void printText(Map<String, Object> doc) throws Exception {
    out().println(doc.get("Kind") + ":");
    out().println(HnsDiag.JSON.writeValueAsString(doc.get("Object")));
    out().println("kernel:");
    out().println(HnsDiag.JSON.writeValueAsString(doc.get("Kernel")));
  }
}
