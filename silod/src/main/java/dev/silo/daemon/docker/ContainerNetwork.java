package dev.silo.daemon.docker;

import dev.silo.api.HResult;
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
 * A container's places on Docker networks, as Docker on Windows makes them: one HNS namespace of
 * its own that the container's init joins, and one HNS endpoint per network attached to it (the
 * first one with a PortMapping policy per published port). Undone in reverse order; a failed attach
 * leaves nothing.
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
   * Makes the endpoint (named after the container) with {@code ports} ({@code requestedIp} if not
   * empty) and its namespace; on any failure what was made is removed again.
   */
  public Attachment attach(
      String name, String hnsNetwork, List<ContainerRecord.PortBinding> ports, String requestedIp)
      throws ApiException {
    List<EndpointPolicy> policies = new ArrayList<>();
    for (ContainerRecord.PortBinding p : ports) {
      String vip = p.hostIp().isEmpty() || p.hostIp().equals("0.0.0.0") ? null : p.hostIp();
      policies.add(
          EndpointPolicy.of(
              new PortMappingPolicySetting(
                  p.type().equals("udp") ? 17 : 6, p.privatePort(), p.publicPort(), vip, null)));
    }
    HostComputeEndpoint ep;
    try {
      ep = hns.createEndpoint(endpoint(name, hnsNetwork, policies, requestedIp));
    } catch (HnsException e) {
      throw hnsError(e);
    }
    HostComputeNamespace ns = null;
    try {
      ns = hns.createNamespace(HostComputeNamespace.host());
      String nsId = String.valueOf(ns.id());
      hns.addNamespaceEndpoint(nsId, String.valueOf(ep.id()));
      return attachment(String.valueOf(ep.id()), nsId);
    } catch (HnsException e) {
      quietly(() -> hns.deleteEndpoint(String.valueOf(ep.id())));
      if (ns != null) {
        String nsId = String.valueOf(ns.id());
        quietly(() -> hns.deleteNamespace(nsId));
      }
      throw hnsError(e);
    }
  }

  /**
   * Makes one more endpoint, on {@code hnsNetwork} ({@code requestedIp} if not empty), and attaches
   * it to the container's namespace: a new interface appears in the container, live if it runs
   * (hcn's HotAddEndpoint). On any failure the endpoint is deleted again.
   */
  public Attachment join(String namespaceId, String name, String hnsNetwork, String requestedIp)
      throws ApiException {
    HostComputeEndpoint ep;
    try {
      ep = hns.createEndpoint(endpoint(name, hnsNetwork, List.of(), requestedIp));
    } catch (HnsException e) {
      throw NetworkApi.hnsError(e);
    }
    String epId = String.valueOf(ep.id());
    try {
      hns.addNamespaceEndpoint(namespaceId, epId);
      return attachment(epId, namespaceId);
    } catch (HnsException e) {
      quietly(() -> hns.deleteEndpoint(epId));
      throw NetworkApi.hnsError(e);
    }
  }

  /**
   * Detaches one endpoint from the namespace (its interface leaves the container) and deletes it; a
   * missing endpoint is fine. If the delete fails the endpoint is attached again, so the container
   * keeps what its record says.
   */
  public void leave(String namespaceId, String endpointId) throws ApiException {
    boolean detached = false;
    try {
      hns.removeNamespaceEndpoint(namespaceId, endpointId);
      detached = true;
    } catch (HnsException.NotFound e) {
      return; // the endpoint is gone already
    } catch (HnsException e) {
      if (e.hresult() != HResult.HCN_E_ENDPOINT_NOT_ATTACHED) {
        throw NetworkApi.hnsError(e);
      }
    }
    try {
      hns.deleteEndpoint(endpointId);
    } catch (HnsException.NotFound e) {
      // gone meanwhile
    } catch (HnsException e) {
      if (detached) {
        quietly(() -> hns.addNamespaceEndpoint(namespaceId, endpointId));
      }
      throw NetworkApi.hnsError(e);
    }
  }

  private static HostComputeEndpoint endpoint(
      String name, String hnsNetwork, List<EndpointPolicy> policies, String requestedIp) {
    return new HostComputeEndpoint(
        null,
        name,
        hnsNetwork,
        null,
        policies,
        requestedIp.isEmpty() ? List.of() : List.of(new IpConfig(requestedIp, null)),
        null,
        List.of(),
        null,
        null,
        null,
        SchemaVersion.V2);
  }

  private Attachment attachment(String endpointId, String namespaceId) throws HnsException {
    HostComputeEndpoint now = hns.getEndpointById(endpointId);
    IpConfig ip = now.ipConfigurations().isEmpty() ? null : now.ipConfigurations().get(0);
    return new Attachment(
        endpointId,
        namespaceId,
        ip == null || ip.ipAddress() == null ? "" : ip.ipAddress(),
        ip == null || ip.prefixLength() == null ? 0 : ip.prefixLength(),
        now.macAddress() == null ? "" : now.macAddress());
  }

  /** The netns file a container in {@code namespaceId} joins. */
  public Path netnsPath(String namespaceId) {
    return LinuxDataplane.netnsPath(hostNetns, namespaceId);
  }

  /** Deletes the namespace (detaching every endpoint) and the endpoints; missing ones are fine. */
  public void detach(List<String> endpointIds, String namespaceId) throws ApiException {
    HnsException first = null;
    if (!namespaceId.isEmpty()) {
      try {
        hns.deleteNamespace(namespaceId);
      } catch (HnsException e) {
        if (!notFound(e)) {
          first = e;
        }
      }
    }
    for (String endpointId : endpointIds) {
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
