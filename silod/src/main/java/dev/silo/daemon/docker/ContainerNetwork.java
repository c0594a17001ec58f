package dev.silo.daemon.docker;

import dev.silo.api.HnsException;
import dev.silo.daemon.http.ApiException;
import dev.silo.hns.HostNetworkService;
import dev.silo.hns.linux.LinuxDataplane;
import dev.silo.schema.hcn.EndpointPolicy;
import dev.silo.schema.hcn.HostComputeEndpoint;
import dev.silo.schema.hcn.HostComputeNamespace;
import dev.silo.schema.hcn.IpConfig;
import dev.silo.schema.hcn.PortMappingPolicySetting;
import dev.silo.schema.hcn.SchemaVersion;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A container's place on a Docker network, as Docker on Windows makes it: one HNS endpoint on the
 * network's HNS network with a PortMapping policy per published port, attached to a namespace of
 * its own that the container's init joins. Undone in reverse order; a failed attach leaves nothing.
 */
public final class ContainerNetwork {
  private final HostNetworkService hns;
  private final @Nullable String hostNetns;

  public ContainerNetwork(HostNetworkService hns, @Nullable String hostNetns) {
    this.hns = hns;
    this.hostNetns = hostNetns;
  }

  /** The named netns that is the HNS host, null for the daemon's own (where host ports live). */
  public @Nullable String hostNetns() {
    return hostNetns;
  }

  /** An attached endpoint. */
  public record Attachment(
      String endpointId, String namespaceId, String ipAddress, int prefix, String mac) {}

  /**
   * Makes the endpoint (named after the container) with {@code ports} and its namespace; on any
   * failure what was made is removed again.
   */
  public Attachment attach(String name, String hnsNetwork, List<ContainerRecord.PortBinding> ports)
      throws ApiException {
    List<EndpointPolicy> policies = new ArrayList<>();
    for (ContainerRecord.PortBinding p : ports) {
      String vip = p.hostIp().isEmpty() || p.hostIp().equals("0.0.0.0") ? null : p.hostIp();
      policies.add(
          EndpointPolicy.of(
              new PortMappingPolicySetting(
                  p.type().equals("udp") ? 17 : 6, p.privatePort(), p.publicPort(), vip, null)));
    }
    HostComputeEndpoint wanted =
        new HostComputeEndpoint(
            null,
            name,
            hnsNetwork,
            null,
            policies,
            List.of(),
            null,
            List.of(),
            null,
            null,
            null,
            SchemaVersion.V2);
    HostComputeEndpoint ep;
    try {
      ep = hns.createEndpoint(wanted);
    } catch (HnsException e) {
      throw hnsError(e);
    }
    HostComputeNamespace ns = null;
    try {
      ns = hns.createNamespace(HostComputeNamespace.host());
      hns.addNamespaceEndpoint(String.valueOf(ns.id()), String.valueOf(ep.id()));
      HostComputeEndpoint now = hns.getEndpointById(String.valueOf(ep.id()));
      IpConfig ip = now.ipConfigurations().isEmpty() ? null : now.ipConfigurations().get(0);
      return new Attachment(
          String.valueOf(ep.id()),
          String.valueOf(ns.id()),
          ip == null || ip.ipAddress() == null ? "" : ip.ipAddress(),
          ip == null || ip.prefixLength() == null ? 0 : ip.prefixLength(),
          now.macAddress() == null ? "" : now.macAddress());
    } catch (HnsException e) {
      quietly(() -> hns.deleteEndpoint(String.valueOf(ep.id())));
      if (ns != null) {
        String nsId = String.valueOf(ns.id());
        quietly(() -> hns.deleteNamespace(nsId));
      }
      throw hnsError(e);
    }
  }

  /** The netns file a container in {@code namespaceId} joins. */
  public Path netnsPath(String namespaceId) {
    return LinuxDataplane.netnsPath(hostNetns, namespaceId);
  }

  /** Detaches and deletes the endpoint and its namespace; missing ones are fine. */
  public void detach(String endpointId, String namespaceId) throws ApiException {
    HnsException first = null;
    if (!namespaceId.isEmpty()) {
      try {
        hns.removeNamespaceEndpoint(namespaceId, endpointId);
      } catch (HnsException e) {
        // already detached or gone
      }
      try {
        hns.deleteNamespace(namespaceId);
      } catch (HnsException e) {
        if (!notFound(e)) {
          first = e;
        }
      }
    }
    if (!endpointId.isEmpty()) {
      try {
        hns.deleteEndpoint(endpointId);
      } catch (HnsException e) {
        if (!notFound(e) && first == null) {
          first = e;
        }
      }
    }
    if (first != null) {
      throw hnsError(first);
    }
  }

  private static boolean notFound(HnsException e) {
    return e instanceof HnsException.NotFound;
  }

  private static ApiException hnsError(HnsException e) {
    return ApiException.internal("HNS failed with error : " + e.getMessage(), e);
  }

  private interface Step {
    void run() throws HnsException;
  }

  private static void quietly(Step s) {
    try {
      s.run();
    } catch (HnsException e) {
      // undoing a failed attach: the first error is the one reported
    }
  }
}
