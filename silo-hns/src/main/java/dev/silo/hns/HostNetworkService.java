package dev.silo.hns;

import dev.silo.api.HnsException;
import dev.silo.hns.internal.EndpointOps;
import dev.silo.hns.internal.LoadBalancerOps;
import dev.silo.hns.internal.NamespaceOps;
import dev.silo.hns.internal.NetworkOps;
import dev.silo.hns.internal.Reconciler;
import dev.silo.hns.internal.Store;
import dev.silo.schema.hcn.HostComputeEndpoint;
import dev.silo.schema.hcn.HostComputeLoadBalancer;
import dev.silo.schema.hcn.HostComputeNamespace;
import dev.silo.schema.hcn.HostComputeNetwork;
import dev.silo.schema.hcn.HostComputeQuery;
import dev.silo.schema.hcn.ModificationRequest;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Silo's Host Network Service (Windows {@code computenetwork.dll} / HCN v2), in-process: networks,
 * endpoints, namespaces and load balancers, each call one store transaction that also programs the
 * dataplane. Several processes may open the same store at once.
 *
 * <p>List calls return full objects in one call, filtered by the query's {@code Filter} (Windows
 * returns ids only and needs an open + query per object). Errors are {@link HnsException}s carrying
 * the HCN HRESULT; deletes of a missing object throw {@link HnsException.NotFound}, which callers
 * that want idempotent deletes (CNI DEL) treat as success.
 *
 * <p>Persistence: desired state lives in one SQLite file ({@link HnsOptions#DEFAULT_DATABASE}). A
 * network with the {@code EnableNonPersistent} flag (8), and its endpoints, are kept in the same
 * file, marked volatile, and dropped when {@link #open} sees a new kernel boot id: one file keeps
 * every call (e.g. attach across a persistent namespace and a volatile endpoint) a single atomic
 * transaction, which a second store under /run/silo could not. Nothing else is written to /run.
 */
public final class HostNetworkService implements AutoCloseable {
  private final Store store;
  private final Reconciler reconciler;
  private final NetworkOps networks;
  private final EndpointOps endpoints;
  private final NamespaceOps namespaces;
  private final LoadBalancerOps loadBalancers;
  private final ReconcileReport openReport;

  private HostNetworkService(HnsOptions options) throws HnsException {
    this.store = new Store(options.database());
    this.reconciler = new Reconciler(store, options.dataplane(), options.bootIdFile());
    this.networks = new NetworkOps(store, options.dataplane());
    this.endpoints = new EndpointOps(store, options.dataplane());
    this.namespaces = new NamespaceOps(store, options.dataplane());
    this.loadBalancers = new LoadBalancerOps(store, options.dataplane());
    this.openReport =
        switch (options.reconcile()) {
          case ALWAYS -> reconciler.reconcileAtOpen(true);
          case WHEN_BOOT_CHANGED -> reconciler.reconcileAtOpen(false);
          case NEVER ->
              new ReconcileReport(
                  reconciler.bootId(), false, List.of(), List.of(), List.of(), List.of());
        };
  }

  /** Opens the store (creating it), then reconciles as the options say. */
  public static HostNetworkService open(HnsOptions options) throws HnsException {
    return new HostNetworkService(options);
  }

  /** What the reconcile at open did. */
  public ReconcileReport openReport() {
    return openReport;
  }

  /** Compares the store with the kernel now, removing orphans and re-creating what is missing. */
  public ReconcileReport reconcile() throws HnsException {
    return reconciler.reconcile(true);
  }

  /** The kernel boot id the service runs under. */
  public String bootId() throws HnsException {
    return reconciler.bootId();
  }

  /** A counter that changes with every committed change, for clients that cache. */
  public long generation() throws HnsException {
    String g = store.read("hnsGeneration", "", tx -> String.valueOf(tx.meta("generation")));
    return "null".equals(g) ? 0 : Long.parseLong(g);
  }

  public HostComputeNetwork createNetwork(HostComputeNetwork network) throws HnsException {
    return networks.create(network);
  }

  public HostComputeNetwork getNetworkById(String id) throws HnsException {
    return networks.get(id);
  }

  public HostComputeNetwork getNetworkByName(String name) throws HnsException {
    return networks.getByName(name);
  }

  public List<HostComputeNetwork> listNetworks(@Nullable HostComputeQuery query)
      throws HnsException {
    return networks.list(query);
  }

  public HostComputeNetwork modifyNetwork(String id, ModificationRequest request)
      throws HnsException {
    return networks.modify(id, request);
  }

  public void deleteNetwork(String id) throws HnsException {
    networks.delete(id);
  }

  public HostComputeEndpoint createEndpoint(HostComputeEndpoint endpoint) throws HnsException {
    return endpoints.create(endpoint);
  }

  public HostComputeEndpoint getEndpointById(String id) throws HnsException {
    return endpoints.get(id);
  }

  public HostComputeEndpoint getEndpointByName(String name) throws HnsException {
    return endpoints.getByName(name);
  }

  public List<HostComputeEndpoint> listEndpoints(@Nullable HostComputeQuery query)
      throws HnsException {
    return endpoints.list(query);
  }

  public HostComputeEndpoint modifyEndpoint(String id, ModificationRequest request)
      throws HnsException {
    return endpoints.modify(id, request);
  }

  public void deleteEndpoint(String id) throws HnsException {
    endpoints.delete(id);
  }

  public HostComputeNamespace createNamespace(HostComputeNamespace namespace) throws HnsException {
    return namespaces.create(namespace);
  }

  public HostComputeNamespace getNamespaceById(String id) throws HnsException {
    return namespaces.get(id);
  }

  public List<HostComputeNamespace> listNamespaces(@Nullable HostComputeQuery query)
      throws HnsException {
    return namespaces.list(query);
  }

  public HostComputeNamespace modifyNamespace(String id, ModificationRequest request)
      throws HnsException {
    return namespaces.modify(id, request);
  }

  /** Attaches an endpoint to a namespace (hcsshim {@code AddNamespaceEndpoint}). */
  public HostComputeNamespace addNamespaceEndpoint(String namespaceId, String endpointId)
      throws HnsException {
    return namespaces.addEndpoint(namespaceId, endpointId);
  }

  /** Detaches an endpoint from a namespace (hcsshim {@code RemoveNamespaceEndpoint}). */
  public HostComputeNamespace removeNamespaceEndpoint(String namespaceId, String endpointId)
      throws HnsException {
    return namespaces.removeEndpoint(namespaceId, endpointId);
  }

  public void deleteNamespace(String id) throws HnsException {
    namespaces.delete(id);
  }

  public HostComputeLoadBalancer createLoadBalancer(HostComputeLoadBalancer lb)
      throws HnsException {
    return loadBalancers.create(lb);
  }

  /**
   * Creates many load balancers as one transaction and one kernel change (a full sync): all of them
   * or none.
   */
  public List<HostComputeLoadBalancer> createLoadBalancers(List<HostComputeLoadBalancer> lbs)
      throws HnsException {
    return loadBalancers.createAll(lbs);
  }

  /**
   * Replaces a load balancer in place (HNS 15.4 ModifyLoadbalancer): only the changed elements
   * reach the kernel.
   */
  public HostComputeLoadBalancer updateLoadBalancer(String id, HostComputeLoadBalancer lb)
      throws HnsException {
    return loadBalancers.update(id, lb);
  }

  public HostComputeLoadBalancer getLoadBalancerById(String id) throws HnsException {
    return loadBalancers.get(id);
  }

  public List<HostComputeLoadBalancer> listLoadBalancers(@Nullable HostComputeQuery query)
      throws HnsException {
    return loadBalancers.list(query);
  }

  public void deleteLoadBalancer(String id) throws HnsException {
    loadBalancers.delete(id);
  }

  /** Closes the store connection (the kernel state stays as programmed). */
  @Override
  public void close() {
    store.close();
  }
}
