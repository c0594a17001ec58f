package dev.silo.hns.internal;

import dev.silo.api.HResult;
import dev.silo.api.HnsException;
import dev.silo.hns.ReconcileReport;
import dev.silo.hns.spi.Dataplane;
import dev.silo.hns.spi.DataplaneException;
import dev.silo.hns.spi.KernelInventory;
import dev.silo.hns.spi.LoadBalancerBackends;
import dev.silo.hns.spi.ObjectKind;
import dev.silo.schema.hcn.HostComputeEndpoint;
import dev.silo.schema.hcn.HostComputeLoadBalancer;
import dev.silo.schema.hcn.HostComputeNamespace;
import dev.silo.schema.hcn.HostComputeNetwork;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Brings the kernel back to the store's desired state. EnableNonPersistent objects stay in the same
 * store file but are dropped when the boot id changes (one file keeps every change one atomic
 * transaction; a second volatile file under /run would make attach across the two non-atomic).
 */
public final class Reconciler {
  private final Store store;
  private final Dataplane dataplane;
  private final Path bootIdFile;

  public Reconciler(Store store, Dataplane dataplane, Path bootIdFile) {
    this.store = store;
    this.dataplane = dataplane;
    this.bootIdFile = bootIdFile;
  }

  public String bootId() throws HnsException {
    try {
      return Files.readString(bootIdFile, StandardCharsets.US_ASCII).strip();
    } catch (IOException e) {
      throw HnsException.of(
          "hnsReadBootId", bootIdFile.toString(), HResult.E_FAIL, e.toString(), e);
    }
  }

  /** Reconciles if forced or the boot id changed; otherwise reports a clean no-op. */
  public ReconcileReport reconcile(boolean force) throws HnsException {
    return run(force, false);
  }

  /**
   * The reconcile of {@link #reconcile} when the service opens, except that a new store (no boot
   * recorded, no object) only records the boot: it has programmed nothing, so what the kernel holds
   * belongs to another store of the same host and is not its orphan.
   */
  public ReconcileReport reconcileAtOpen(boolean force) throws HnsException {
    return run(force, true);
  }

  private ReconcileReport run(boolean force, boolean atOpen) throws HnsException {
    String boot = bootId();
    return store.write(
        "hnsReconcile",
        "",
        tx -> {
          String recorded = tx.meta("boot_id");
          boolean changed = !boot.equals(recorded);
          Report r = new Report();
          if (recorded == null && atOpen && tx.empty()) {
            tx.setMeta("boot_id", boot);
            return r.build(boot, true);
          }
          if (!changed && !force) {
            return r.build(boot, false);
          }
          if (changed) {
            dropVolatile(tx, r);
            tx.setMeta("boot_id", boot);
          }
          KernelInventory inv = dataplane.inventory();
          removeOrphans(tx, inv, r);
          recreate(tx, inv, r);
          tx.bumpGeneration();
          return r.build(boot, changed);
        });
  }

  private static final class Report {
    final List<String> dropped = new ArrayList<>();
    final List<String> orphans = new ArrayList<>();
    final List<String> recreated = new ArrayList<>();
    final List<String> failed = new ArrayList<>();

    ReconcileReport build(String boot, boolean changed) {
      return new ReconcileReport(boot, changed, dropped, orphans, recreated, failed);
    }
  }

  private static void dropVolatile(Tx tx, Report r) throws HnsException, SQLException {
    Set<String> gone = new HashSet<>();
    for (Tx.Row row : tx.volatileRows(ObjectKind.ENDPOINT)) {
      tx.delete(ObjectKind.ENDPOINT, row.id());
      gone.add(row.id());
      r.dropped.add("Endpoint " + row.id());
    }
    for (Tx.Row row : tx.volatileRows(ObjectKind.NETWORK)) {
      tx.delete(ObjectKind.NETWORK, row.id());
      r.dropped.add("Network " + row.id());
    }
    for (Tx.Row row : tx.all(ObjectKind.NAMESPACE)) {
      HostComputeNamespace ns =
          HcnCodec.read("hnsReconcile", row.id(), row.doc(), HostComputeNamespace.class);
      HostComputeNamespace kept =
          ns.withResources(
              ns.resources().stream()
                  .filter(x -> x.data() == null || !gone.contains(x.data().id()))
                  .toList());
      tx.replace(ObjectKind.NAMESPACE, row.id(), HcnCodec.write(kept));
    }
    for (Tx.Row row : tx.all(ObjectKind.LOAD_BALANCER)) {
      HostComputeLoadBalancer lb =
          HcnCodec.read("hnsReconcile", row.id(), row.doc(), HostComputeLoadBalancer.class);
      List<String> eps = lb.hostComputeEndpoints().stream().filter(e -> !gone.contains(e)).toList();
      HostComputeLoadBalancer kept =
          new HostComputeLoadBalancer(
              lb.id(),
              eps,
              lb.sourceVip(),
              lb.frontendVips(),
              lb.portMappings(),
              lb.schemaVersion(),
              lb.flags());
      tx.replace(ObjectKind.LOAD_BALANCER, row.id(), HcnCodec.write(kept));
    }
  }

  private void removeOrphans(Tx tx, KernelInventory inv, Report r) throws SQLException {
    orphans(tx, ObjectKind.LOAD_BALANCER, inv.loadBalancers(), r);
    orphans(tx, ObjectKind.ENDPOINT, inv.endpoints(), r);
    orphans(tx, ObjectKind.NAMESPACE, inv.namespaces(), r);
    orphans(tx, ObjectKind.NETWORK, inv.networks(), r);
  }

  private void orphans(Tx tx, ObjectKind kind, Set<String> inKernel, Report r) throws SQLException {
    for (String id : inKernel) {
      if (tx.get(kind, Objects.id(id)) == null) {
        String what = Objects.label(kind) + " " + id;
        try {
          dataplane.removeOrphan(kind, id);
          r.orphans.add(what);
        } catch (DataplaneException | RuntimeException e) {
          r.failed.add(what + ": " + e.getMessage());
        }
      }
    }
  }

  private void recreate(Tx tx, KernelInventory inv, Report r) throws HnsException, SQLException {
    String op = "hnsReconcile";
    for (HostComputeNetwork n :
        Objects.list(op, tx, ObjectKind.NETWORK, null, HostComputeNetwork.class)) {
      if (!inv.networks().contains(n.id())) {
        fix(r, "Network " + n.id(), () -> dataplane.createNetwork(n));
      }
    }
    for (HostComputeNamespace ns :
        Objects.list(op, tx, ObjectKind.NAMESPACE, null, HostComputeNamespace.class)) {
      if (!inv.namespaces().contains(ns.id())) {
        fix(r, "Namespace " + ns.id(), () -> dataplane.createNamespace(ns));
      }
    }
    recreateEndpoints(tx, inv, r);
    recreateLoadBalancers(tx, inv, r);
  }

  /**
   * Re-creates stored endpoints whose kernel state is incomplete: an attached one without its
   * complete attachment, an unattached one with policies but no kernel state, or one the kernel has
   * attached while the store does not. What partial state there is goes first, so the endpoint is
   * built from scratch and not patched.
   */
  private void recreateEndpoints(Tx tx, KernelInventory inv, Report r)
      throws HnsException, SQLException {
    String op = "hnsReconcile";
    for (HostComputeEndpoint ep :
        Objects.list(op, tx, ObjectKind.ENDPOINT, null, HostComputeEndpoint.class)) {
      String id = String.valueOf(ep.id());
      HostComputeNamespace ns =
          ep.hostComputeNamespace() == null
              ? null
              : Objects.find(
                  op,
                  tx,
                  ObjectKind.NAMESPACE,
                  ep.hostComputeNamespace(),
                  HostComputeNamespace.class);
      boolean present = inv.endpoints().contains(id);
      boolean attached = inv.attachedEndpoints().contains(id);
      HostComputeNetwork net = Objects.networkOf(op, tx, ep);
      boolean broken =
          ns != null ? !attached : attached || (!present && dataplane.programsUnattached(net, ep));
      if (!broken) {
        continue;
      }
      fix(
          r,
          "Endpoint " + id,
          () -> {
            if (present || attached) {
              dataplane.removeOrphan(ObjectKind.ENDPOINT, id);
            }
            dataplane.createEndpoint(net, ep);
            dataplane.applyEndpointPolicies(net, ep.withPolicies(List.of()), ep);
            if (ns != null) {
              dataplane.attachEndpoint(ns, net, ep);
            }
          });
    }
  }

  /** Re-programs every missing load balancer in one dataplane change, else one by one. */
  private void recreateLoadBalancers(Tx tx, KernelInventory inv, Report r)
      throws HnsException, SQLException {
    String op = "hnsReconcile";
    List<LoadBalancerBackends> missing = new ArrayList<>();
    for (HostComputeLoadBalancer lb :
        Objects.list(op, tx, ObjectKind.LOAD_BALANCER, null, HostComputeLoadBalancer.class)) {
      if (!inv.loadBalancers().contains(lb.id())) {
        List<HostComputeEndpoint> backends = new ArrayList<>();
        for (String e : lb.hostComputeEndpoints()) {
          HostComputeEndpoint b =
              Objects.find(op, tx, ObjectKind.ENDPOINT, e, HostComputeEndpoint.class);
          if (b != null) {
            backends.add(b);
          }
        }
        missing.add(new LoadBalancerBackends(lb, backends));
      }
    }
    if (missing.isEmpty()) {
      return;
    }
    try {
      dataplane.programLoadBalancers(missing);
      for (LoadBalancerBackends m : missing) {
        r.recreated.add("LoadBalancer " + m.loadBalancer().id());
      }
    } catch (DataplaneException | RuntimeException e) {
      // one bad load balancer must not keep the others out: retry them one at a time
      for (LoadBalancerBackends m : missing) {
        fix(
            r,
            "LoadBalancer " + m.loadBalancer().id(),
            () -> dataplane.programLoadBalancer(m.loadBalancer(), m.backends()));
      }
    }
  }

  /**
   * One repair step; a failure is reported, not thrown, so one bad object does not block others.
   */
  private interface Step {
    void run() throws DataplaneException;
  }

  private static void fix(Report r, String what, Step step) {
    try {
      step.run();
      r.recreated.add(what);
    } catch (DataplaneException | RuntimeException e) {
      r.failed.add(what + ": " + e.getMessage());
    }
  }
}
