package dev.silo.hns.internal;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.silo.api.HResult;
import dev.silo.api.HnsException;
import dev.silo.hns.spi.Dataplane;
import dev.silo.hns.spi.DataplaneException;
import dev.silo.hns.spi.ObjectKind;
import dev.silo.schema.hcn.EndpointPolicy;
import dev.silo.schema.hcn.HostComputeEndpoint;
import dev.silo.schema.hcn.HostComputeLoadBalancer;
import dev.silo.schema.hcn.HostComputeNetwork;
import dev.silo.schema.hcn.HostComputeQuery;
import dev.silo.schema.hcn.ModificationRequest;
import dev.silo.schema.hcn.ModifyRequestType;
import dev.silo.schema.hcn.SchemaVersion;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Endpoint calls: claims (name, address, MAC, host ports) and the dataplane in one transaction. */
public final class EndpointOps {
  private final Store store;
  private final Dataplane dataplane;

  public EndpointOps(Store store, Dataplane dataplane) {
    this.store = store;
    this.dataplane = dataplane;
  }

  /** Settings of an endpoint Policy modify request. */
  record PolicyList(@JsonProperty("Policies") @Nullable List<EndpointPolicy> policies) {}

  public HostComputeEndpoint create(HostComputeEndpoint in) throws HnsException {
    String op = "hcnCreateEndpoint";
    String id = in.id() == null ? Objects.newId() : Objects.id(in.id());
    String label = in.name() == null ? id : in.name();
    return store.write(op, label, tx -> insert(op, tx, in, id, label));
  }

  private HostComputeEndpoint insert(
      String op, Tx tx, HostComputeEndpoint in, String id, String label)
      throws HnsException, SQLException, DataplaneException {
    String netId = in.hostComputeNetwork();
    if (netId == null || netId.isBlank()) {
      throw HnsException.of(
          op, label, HResult.HCN_E_INVALID_ENDPOINT, "endpoint HostComputeNetwork is missing");
    }
    HostComputeNetwork net =
        Objects.load(op, tx, ObjectKind.NETWORK, netId, HostComputeNetwork.class);
    OverlayChecks.endpoint(op, label, net, in);
    if (in.name() != null && tx.byName(ObjectKind.ENDPOINT, in.name()) != null) {
      throw HnsException.of(
          op,
          label,
          HResult.ERROR_OBJECT_ALREADY_EXISTS,
          "an endpoint named " + in.name() + " already exists");
    }
    if (tx.get(ObjectKind.ENDPOINT, id) != null) {
      throw HnsException.of(
          op,
          label,
          HResult.ERROR_OBJECT_ALREADY_EXISTS,
          "an endpoint with ID " + id + " already exists");
    }
    Ports.claim(op, tx, in, id);
    PolicyChecks.endpoint(op, label, net, in);
    HostComputeEndpoint base =
        new HostComputeEndpoint(
            id,
            in.name(),
            Objects.id(netId),
            null,
            in.policies(),
            in.ipConfigurations(),
            in.dns(),
            in.routes(),
            in.macAddress(),
            in.flags(),
            null,
            SchemaVersion.V2);
    HostComputeEndpoint ep = Ipam.assign(op, tx, net, base, id);
    tx.insert(
        ObjectKind.ENDPOINT,
        id,
        ep.name(),
        ep.hostComputeNetwork(),
        NetworkOps.persistent(net),
        HcnCodec.write(ep));
    tx.done(dataplane.createEndpoint(net, ep));
    tx.done(dataplane.applyEndpointPolicies(net, ep.withPolicies(List.of()), ep));
    tx.bumpGeneration();
    return ep;
  }

  public HostComputeEndpoint get(String id) throws HnsException {
    String op = "hcnOpenEndpoint";
    return store.read(
        op, id, tx -> Objects.load(op, tx, ObjectKind.ENDPOINT, id, HostComputeEndpoint.class));
  }

  public HostComputeEndpoint getByName(String name) throws HnsException {
    String op = "hcnOpenEndpoint";
    return store.read(
        op,
        name,
        tx -> Objects.loadByName(op, tx, ObjectKind.ENDPOINT, name, HostComputeEndpoint.class));
  }

  public List<HostComputeEndpoint> list(@Nullable HostComputeQuery query) throws HnsException {
    String op = "hcnEnumerateEndpoints";
    return store.read(
        op, "", tx -> Objects.list(op, tx, ObjectKind.ENDPOINT, query, HostComputeEndpoint.class));
  }

  public HostComputeEndpoint modify(String id, ModificationRequest req) throws HnsException {
    String op = "hcnModifyEndpoint";
    return store.write(
        op,
        id,
        tx -> {
          HostComputeEndpoint before =
              Objects.load(op, tx, ObjectKind.ENDPOINT, id, HostComputeEndpoint.class);
          HostComputeEndpoint after = before.withPolicies(policies(op, id, before, req));
          Ports.reclaim(op, tx, after, Objects.id(id));
          HostComputeNetwork net = Objects.networkOf(op, tx, before);
          PolicyChecks.endpoint(op, id, net, after);
          tx.replace(ObjectKind.ENDPOINT, Objects.id(id), HcnCodec.write(after));
          tx.done(dataplane.applyEndpointPolicies(net, before, after));
          tx.bumpGeneration();
          return after;
        });
  }

  private static List<EndpointPolicy> policies(
      String op, String id, HostComputeEndpoint ep, ModificationRequest req) throws HnsException {
    if (!"Policy".equalsIgnoreCase(req.resourceType())) {
      throw HnsException.of(
          op,
          id,
          HResult.HCN_E_REQUEST_UNSUPPORTED,
          "endpoint ResourceType " + req.resourceType() + " is not Policy");
    }
    Object settings = req.settings() == null ? Map.of() : req.settings();
    PolicyList list = HcnCodec.convert(op, id, settings, PolicyList.class);
    List<EndpointPolicy> given = list.policies() == null ? List.of() : list.policies();
    List<EndpointPolicy> out = new ArrayList<>(ep.policies());
    ModifyRequestType type = req.requestType() == null ? ModifyRequestType.ADD : req.requestType();
    switch (type) {
      case ADD -> out.addAll(given);
      case REMOVE -> out.removeAll(given);
      case UPDATE, REFRESH -> {
        out.clear();
        out.addAll(given);
      }
    }
    return out;
  }

  /** Deletes an endpoint, detaching it from its namespace first; LB backends must go first. */
  public void delete(String id) throws HnsException {
    String op = "hcnDeleteEndpoint";
    store.write(
        op,
        id,
        tx -> {
          HostComputeEndpoint ep =
              Objects.load(op, tx, ObjectKind.ENDPOINT, id, HostComputeEndpoint.class);
          for (HostComputeLoadBalancer lb :
              Objects.list(op, tx, ObjectKind.LOAD_BALANCER, null, HostComputeLoadBalancer.class)) {
            if (lb.hostComputeEndpoints().stream().anyMatch(e -> Objects.id(e).equals(ep.id()))) {
              throw HnsException.of(
                  op,
                  id,
                  HResult.HCN_E_ENTITY_HAS_REFERENCES,
                  "endpoint is a backend of load balancer " + lb.id());
            }
          }
          HostComputeNetwork net = Objects.networkOf(op, tx, ep);
          if (ep.hostComputeNamespace() != null) {
            NamespaceOps.detach(op, tx, dataplane, ep.hostComputeNamespace(), ep, net);
          }
          tx.delete(ObjectKind.ENDPOINT, Objects.id(id));
          tx.done(dataplane.deleteEndpoint(net, ep));
          tx.bumpGeneration();
          return true;
        });
  }
}
