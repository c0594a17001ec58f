package dev.silo.hns.internal;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.silo.api.HResult;
import dev.silo.api.HnsException;
import dev.silo.hns.spi.Dataplane;
import dev.silo.hns.spi.ObjectKind;
import dev.silo.schema.hcn.Dns;
import dev.silo.schema.hcn.HostComputeNetwork;
import dev.silo.schema.hcn.HostComputeQuery;
import dev.silo.schema.hcn.ModificationRequest;
import dev.silo.schema.hcn.ModifyRequestType;
import dev.silo.schema.hcn.NetworkPolicy;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Network calls: validate, write the row, program the dataplane, commit — or undo all of it. */
public final class NetworkOps {
  private final Store store;
  private final Dataplane dataplane;

  public NetworkOps(Store store, Dataplane dataplane) {
    this.store = store;
    this.dataplane = dataplane;
  }

  /** Settings of a network Policy modify request. */
  record PolicyList(@JsonProperty("Policies") @Nullable List<NetworkPolicy> policies) {}

  static boolean persistent(HostComputeNetwork n) {
    return (n.flagsOrZero() & HostComputeNetwork.ENABLE_NON_PERSISTENT) == 0;
  }

  public HostComputeNetwork create(HostComputeNetwork in) throws HnsException {
    String op = "hcnCreateNetwork";
    String id = in.id() == null ? Objects.newId() : Objects.id(in.id());
    return store.write(
        op,
        in.name() == null ? id : in.name(),
        tx -> {
          HostComputeNetwork n = NetworkChecks.validate(op, tx, dataplane, in, id);
          PolicyChecks.network(op, id, n);
          tx.insert(ObjectKind.NETWORK, id, n.name(), null, persistent(n), HcnCodec.write(n));
          tx.done(dataplane.createNetwork(n));
          tx.bumpGeneration();
          return n;
        });
  }

  public HostComputeNetwork get(String id) throws HnsException {
    String op = "hcnOpenNetwork";
    return store.read(
        op, id, tx -> Objects.load(op, tx, ObjectKind.NETWORK, id, HostComputeNetwork.class));
  }

  public HostComputeNetwork getByName(String name) throws HnsException {
    String op = "hcnOpenNetwork";
    return store.read(
        op,
        name,
        tx -> Objects.loadByName(op, tx, ObjectKind.NETWORK, name, HostComputeNetwork.class));
  }

  public List<HostComputeNetwork> list(@Nullable HostComputeQuery query) throws HnsException {
    String op = "hcnEnumerateNetworks";
    return store.read(
        op, "", tx -> Objects.list(op, tx, ObjectKind.NETWORK, query, HostComputeNetwork.class));
  }

  public HostComputeNetwork modify(String id, ModificationRequest req) throws HnsException {
    String op = "hcnModifyNetwork";
    return store.write(
        op,
        id,
        tx -> {
          HostComputeNetwork before =
              Objects.load(op, tx, ObjectKind.NETWORK, id, HostComputeNetwork.class);
          HostComputeNetwork after = apply(op, id, before, req);
          OverlayChecks.policies(op, id, after);
          PolicyChecks.network(op, id, after);
          tx.replace(ObjectKind.NETWORK, Objects.id(id), HcnCodec.write(after));
          tx.done(dataplane.applyNetworkPolicies(before, after));
          tx.bumpGeneration();
          return after;
        });
  }

  private static HostComputeNetwork apply(
      String op, String id, HostComputeNetwork n, ModificationRequest req) throws HnsException {
    Object settings = req.settings() == null ? java.util.Map.of() : req.settings();
    if ("DNS".equalsIgnoreCase(req.resourceType())) {
      return n.withDns(HcnCodec.convert(op, id, settings, Dns.class));
    }
    if (!"Policy".equalsIgnoreCase(req.resourceType())) {
      throw HnsException.of(
          op,
          id,
          HResult.HCN_E_REQUEST_UNSUPPORTED,
          "network ResourceType " + req.resourceType() + " is not Policy or DNS");
    }
    PolicyList list = HcnCodec.convert(op, id, settings, PolicyList.class);
    List<NetworkPolicy> given = list.policies() == null ? List.of() : list.policies();
    List<NetworkPolicy> out = new ArrayList<>(n.policies());
    ModifyRequestType type = req.requestType() == null ? ModifyRequestType.ADD : req.requestType();
    switch (type) {
      case ADD -> out.addAll(given);
      case REMOVE -> out.removeAll(given);
      case UPDATE, REFRESH -> {
        out.clear();
        out.addAll(given);
      }
    }
    return n.withPolicies(out);
  }

  /** Deletes a network that has no endpoints left. */
  public void delete(String id) throws HnsException {
    String op = "hcnDeleteNetwork";
    store.write(
        op,
        id,
        tx -> {
          HostComputeNetwork n =
              Objects.load(op, tx, ObjectKind.NETWORK, id, HostComputeNetwork.class);
          int endpoints = tx.children(ObjectKind.ENDPOINT, Objects.id(id)).size();
          if (endpoints > 0) {
            throw HnsException.of(
                op,
                id,
                HResult.HCN_E_ENTITY_HAS_REFERENCES,
                "network " + n.name() + " still has " + endpoints + " endpoint(s)");
          }
          tx.delete(ObjectKind.NETWORK, Objects.id(id));
          tx.done(dataplane.deleteNetwork(n));
          tx.bumpGeneration();
          return true;
        });
  }
}
