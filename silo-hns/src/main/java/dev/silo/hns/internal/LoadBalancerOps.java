package dev.silo.hns.internal;

import dev.silo.api.HResult;
import dev.silo.api.HnsException;
import dev.silo.hns.spi.Dataplane;
import dev.silo.hns.spi.LoadBalancerBackends;
import dev.silo.hns.spi.ObjectKind;
import dev.silo.schema.hcn.HostComputeEndpoint;
import dev.silo.schema.hcn.HostComputeLoadBalancer;
import dev.silo.schema.hcn.HostComputeQuery;
import dev.silo.schema.hcn.LoadBalancerPortMapping;
import dev.silo.schema.hcn.SchemaVersion;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Load balancer calls; an update re-programs in place (HNS 15.4 ModifyLoadbalancer). */
public final class LoadBalancerOps {
  /** Backends decoded once while their documents are unchanged; a few thousand endpoints. */
  static final int ENDPOINT_CACHE = 4096;

  private final Store store;
  private final Dataplane dataplane;
  private final DocCache<HostComputeEndpoint> endpoints =
      new DocCache<>(ObjectKind.ENDPOINT, HostComputeEndpoint.class, ENDPOINT_CACHE);

  public LoadBalancerOps(Store store, Dataplane dataplane) {
    this.store = store;
    this.dataplane = dataplane;
  }

  public HostComputeLoadBalancer create(HostComputeLoadBalancer in) throws HnsException {
    String op = "hcnCreateLoadBalancer";
    String id = in.id() == null ? Objects.newId() : Objects.id(in.id());
    return store.write(
        op,
        id,
        tx -> {
          if (tx.get(ObjectKind.LOAD_BALANCER, id) != null) {
            throw HnsException.of(
                op,
                id,
                HResult.ERROR_ALREADY_EXISTS,
                "a load balancer with ID " + id + " already exists");
          }
          HostComputeLoadBalancer lb = normalize(in, id);
          List<HostComputeEndpoint> backends = backends(op, tx, lb);
          tx.insert(ObjectKind.LOAD_BALANCER, id, null, null, true, HcnCodec.write(lb));
          tx.done(dataplane.programLoadBalancer(lb, backends));
          tx.bumpGeneration();
          return lb;
        });
  }

  /**
   * Creates many load balancers in one transaction and one dataplane change (a full sync of a
   * service proxy): all of them or, on any error, none.
   */
  public List<HostComputeLoadBalancer> createAll(List<HostComputeLoadBalancer> in)
      throws HnsException {
    String op = "hcnCreateLoadBalancer";
    return store.write(
        op,
        in.size() + " load balancers",
        tx -> {
          Map<String, HostComputeEndpoint> loaded = new HashMap<>();
          List<HostComputeLoadBalancer> out = new ArrayList<>();
          List<LoadBalancerBackends> programs = new ArrayList<>();
          for (HostComputeLoadBalancer one : in) {
            String id = one.id() == null ? Objects.newId() : Objects.id(one.id());
            if (tx.get(ObjectKind.LOAD_BALANCER, id) != null) {
              throw HnsException.of(
                  op,
                  id,
                  HResult.ERROR_ALREADY_EXISTS,
                  "a load balancer with ID " + id + " already exists");
            }
            HostComputeLoadBalancer lb = normalize(one, id);
            programs.add(new LoadBalancerBackends(lb, backends(op, tx, lb, loaded)));
            tx.insert(ObjectKind.LOAD_BALANCER, id, null, null, true, HcnCodec.write(lb));
            out.add(lb);
          }
          tx.done(dataplane.programLoadBalancers(programs));
          tx.bumpGeneration();
          return out;
        });
  }

  /** Replaces a load balancer's frontends and backends in place. */
  public HostComputeLoadBalancer update(String id, HostComputeLoadBalancer in) throws HnsException {
    String op = "hcnModifyLoadBalancer";
    return store.write(
        op,
        id,
        tx -> {
          // only this row, and only whether it exists: its old document is not decoded
          Objects.exists(op, tx, ObjectKind.LOAD_BALANCER, id);
          HostComputeLoadBalancer lb = normalize(in, Objects.id(id));
          List<HostComputeEndpoint> backends = backends(op, tx, lb);
          tx.replace(ObjectKind.LOAD_BALANCER, Objects.id(id), HcnCodec.write(lb));
          tx.done(dataplane.programLoadBalancer(lb, backends));
          tx.bumpGeneration();
          return lb;
        });
  }

  public HostComputeLoadBalancer get(String id) throws HnsException {
    String op = "hcnOpenLoadBalancer";
    return store.read(
        op,
        id,
        tx -> Objects.load(op, tx, ObjectKind.LOAD_BALANCER, id, HostComputeLoadBalancer.class));
  }

  public List<HostComputeLoadBalancer> list(@Nullable HostComputeQuery query) throws HnsException {
    String op = "hcnEnumerateLoadBalancers";
    return store.read(
        op,
        "",
        tx -> Objects.list(op, tx, ObjectKind.LOAD_BALANCER, query, HostComputeLoadBalancer.class));
  }

  public void delete(String id) throws HnsException {
    String op = "hcnDeleteLoadBalancer";
    store.write(
        op,
        id,
        tx -> {
          HostComputeLoadBalancer lb =
              Objects.load(op, tx, ObjectKind.LOAD_BALANCER, id, HostComputeLoadBalancer.class);
          tx.delete(ObjectKind.LOAD_BALANCER, Objects.id(id));
          tx.done(dataplane.removeLoadBalancer(lb));
          tx.bumpGeneration();
          return true;
        });
  }

  private static HostComputeLoadBalancer normalize(HostComputeLoadBalancer in, String id) {
    List<String> eps = in.hostComputeEndpoints().stream().map(Objects::id).toList();
    return new HostComputeLoadBalancer(
        id,
        eps,
        in.sourceVip(),
        in.frontendVips(),
        in.portMappings(),
        SchemaVersion.V2,
        in.flags());
  }

  private List<HostComputeEndpoint> backends(String op, Tx tx, HostComputeLoadBalancer lb)
      throws HnsException, SQLException {
    return backends(op, tx, lb, new HashMap<>());
  }

  /**
   * Checks the port mappings and loads the backends: each endpoint once per {@code cache} (one
   * call), decoded only when its document changed ({@link DocCache}).
   */
  private List<HostComputeEndpoint> backends(
      String op, Tx tx, HostComputeLoadBalancer lb, Map<String, HostComputeEndpoint> cache)
      throws HnsException, SQLException {
    String id = String.valueOf(lb.id());
    for (LoadBalancerPortMapping pm : lb.portMappings()) {
      int protocol = pm.protocol() == null ? Ports.TCP : pm.protocol();
      if (protocol != Ports.TCP && protocol != Ports.UDP) {
        throw HnsException.of(
            op,
            id,
            HResult.HCN_E_INVALID_POLICY,
            "load balancer PortMappings Protocol " + protocol + " is not 6 or 17");
      }
      int ext = pm.externalPort() == null ? 0 : pm.externalPort();
      int internal = pm.internalPort() == null ? 0 : pm.internalPort();
      if (ext < 0 || ext > 65535 || internal < 0 || internal > 65535) {
        throw HnsException.of(
            op,
            id,
            HResult.HCN_E_INVALID_POLICY,
            "load balancer port " + ext + "->" + internal + " is out of range");
      }
    }
    // Empty backends are valid: the dataplane rejects traffic instead (kubernetes #106936).
    List<HostComputeEndpoint> out = new ArrayList<>();
    for (String epId : lb.hostComputeEndpoints()) {
      HostComputeEndpoint ep = cache.get(epId);
      if (ep == null) {
        ep = endpoints.load(op, tx, epId);
        cache.put(epId, ep);
      }
      out.add(ep);
    }
    return out;
  }
}
