package dev.silo.hns.internal;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.silo.api.HResult;
import dev.silo.api.HnsException;
import dev.silo.hns.spi.Dataplane;
import dev.silo.hns.spi.DataplaneException;
import dev.silo.hns.spi.ObjectKind;
import dev.silo.schema.hcn.HostComputeEndpoint;
import dev.silo.schema.hcn.HostComputeNamespace;
import dev.silo.schema.hcn.HostComputeNetwork;
import dev.silo.schema.hcn.HostComputeQuery;
import dev.silo.schema.hcn.ModificationRequest;
import dev.silo.schema.hcn.ModifyRequestType;
import dev.silo.schema.hcn.NamespaceResource;
import dev.silo.schema.hcn.SchemaVersion;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Namespace calls; attach and detach update the endpoint row, the namespace row and the dataplane
 * in one transaction, so a pod never ends up half attached (the leaked endpoints of kubernetes
 * #68511).
 */
public final class NamespaceOps {
  private final Store store;
  private final Dataplane dataplane;

  public NamespaceOps(Store store, Dataplane dataplane) {
    this.store = store;
    this.dataplane = dataplane;
  }

  /** Settings of a namespace Endpoint modify request. */
  record EndpointRef(@JsonProperty("EndpointId") @Nullable String endpointId) {}

  public HostComputeNamespace create(HostComputeNamespace in) throws HnsException {
    String op = "hcnCreateNamespace";
    String id = in.id() == null ? Objects.newId() : Objects.id(in.id());
    return store.write(
        op,
        id,
        tx -> {
          if (tx.get(ObjectKind.NAMESPACE, id) != null) {
            throw HnsException.of(
                op,
                id,
                HResult.ERROR_OBJECT_ALREADY_EXISTS,
                "a namespace with ID " + id + " already exists");
          }
          String last = tx.meta("namespace_id");
          long number = last == null ? 1 : Long.parseLong(last) + 1;
          tx.setMeta("namespace_id", Long.toString(number));
          HostComputeNamespace ns =
              new HostComputeNamespace(
                  id,
                  number,
                  in.type() == null ? "Host" : in.type(),
                  List.of(),
                  SchemaVersion.V2,
                  in.readyOnCreate());
          tx.insert(ObjectKind.NAMESPACE, id, null, null, true, HcnCodec.write(ns));
          tx.done(dataplane.createNamespace(ns));
          for (String epId : in.endpointIds()) {
            ns = attach(op, tx, dataplane, ns, epId);
          }
          tx.bumpGeneration();
          return ns;
        });
  }

  public HostComputeNamespace get(String id) throws HnsException {
    String op = "hcnOpenNamespace";
    return store.read(
        op, id, tx -> Objects.load(op, tx, ObjectKind.NAMESPACE, id, HostComputeNamespace.class));
  }

  public List<HostComputeNamespace> list(@Nullable HostComputeQuery query) throws HnsException {
    String op = "hcnEnumerateNamespaces";
    return store.read(
        op,
        "",
        tx -> Objects.list(op, tx, ObjectKind.NAMESPACE, query, HostComputeNamespace.class));
  }

  /** Adds or removes an endpoint ({@code ResourceType Endpoint, Settings {"EndpointId": …}}). */
  public HostComputeNamespace modify(String id, ModificationRequest req) throws HnsException {
    String op = "hcnModifyNamespace";
    if (!"Endpoint".equalsIgnoreCase(req.resourceType())) {
      throw HnsException.of(
          op,
          id,
          HResult.HCN_E_REQUEST_UNSUPPORTED,
          "namespace ResourceType " + req.resourceType() + " is not Endpoint");
    }
    EndpointRef ref =
        HcnCodec.convert(
            op, id, req.settings() == null ? Map.of() : req.settings(), EndpointRef.class);
    if (ref.endpointId() == null) {
      throw HnsException.of(
          op, id, HResult.HCN_E_INVALID_JSON, "namespace modify Settings has no EndpointId");
    }
    return req.requestType() == ModifyRequestType.REMOVE
        ? removeEndpoint(id, ref.endpointId())
        : addEndpoint(id, ref.endpointId());
  }

  public HostComputeNamespace addEndpoint(String namespaceId, String endpointId)
      throws HnsException {
    String op = "hcnAddNamespaceEndpoint";
    return store.write(
        op,
        endpointId,
        tx -> {
          HostComputeNamespace ns =
              Objects.load(op, tx, ObjectKind.NAMESPACE, namespaceId, HostComputeNamespace.class);
          HostComputeNamespace out = attach(op, tx, dataplane, ns, endpointId);
          tx.bumpGeneration();
          return out;
        });
  }

  public HostComputeNamespace removeEndpoint(String namespaceId, String endpointId)
      throws HnsException {
    String op = "hcnRemoveNamespaceEndpoint";
    return store.write(
        op,
        endpointId,
        tx -> {
          HostComputeEndpoint ep =
              Objects.load(op, tx, ObjectKind.ENDPOINT, endpointId, HostComputeEndpoint.class);
          if (ep.hostComputeNamespace() == null
              || !ep.hostComputeNamespace().equals(Objects.id(namespaceId))) {
            throw HnsException.of(
                op,
                endpointId,
                HResult.HCN_E_ENDPOINT_NOT_ATTACHED,
                "endpoint is not attached to namespace " + namespaceId);
          }
          HostComputeNetwork net = Objects.networkOf(op, tx, ep);
          HostComputeNamespace out = detach(op, tx, dataplane, namespaceId, ep, net);
          tx.bumpGeneration();
          return out;
        });
  }

  /** Deletes a namespace, detaching its endpoints (they stay, as on Windows). */
  public void delete(String id) throws HnsException {
    String op = "hcnDeleteNamespace";
    store.write(
        op,
        id,
        tx -> {
          HostComputeNamespace ns =
              Objects.load(op, tx, ObjectKind.NAMESPACE, id, HostComputeNamespace.class);
          for (String epId : ns.endpointIds()) {
            HostComputeEndpoint ep =
                Objects.find(op, tx, ObjectKind.ENDPOINT, epId, HostComputeEndpoint.class);
            if (ep != null) {
              HostComputeNetwork net = Objects.networkOf(op, tx, ep);
              ns = detach(op, tx, dataplane, id, ep, net);
            }
          }
          tx.delete(ObjectKind.NAMESPACE, Objects.id(id));
          tx.done(dataplane.deleteNamespace(ns));
          tx.bumpGeneration();
          return true;
        });
  }

  static HostComputeNamespace attach(
      String op, Tx tx, Dataplane dp, HostComputeNamespace ns, String endpointId)
      throws HnsException, SQLException, DataplaneException {
    HostComputeEndpoint ep =
        Objects.load(op, tx, ObjectKind.ENDPOINT, endpointId, HostComputeEndpoint.class);
    if (ep.hostComputeNamespace() != null) {
      throw HnsException.of(
          op,
          endpointId,
          HResult.HCN_E_ENDPOINT_NAMESPACE_ALREADY_EXISTS,
          "endpoint is already attached to namespace " + ep.hostComputeNamespace());
    }
    HostComputeNetwork net = Objects.networkOf(op, tx, ep);
    HostComputeEndpoint attached = ep.withNamespace(ns.id());
    List<NamespaceResource> resources = new ArrayList<>(ns.resources());
    resources.add(NamespaceResource.endpoint(String.valueOf(ep.id())));
    HostComputeNamespace out = ns.withResources(resources);
    tx.replace(ObjectKind.ENDPOINT, String.valueOf(ep.id()), HcnCodec.write(attached));
    tx.replace(ObjectKind.NAMESPACE, String.valueOf(ns.id()), HcnCodec.write(out));
    tx.done(dp.attachEndpoint(out, net, attached));
    return out;
  }

  static HostComputeNamespace detach(
      String op,
      Tx tx,
      Dataplane dp,
      String namespaceId,
      HostComputeEndpoint ep,
      HostComputeNetwork net)
      throws HnsException, SQLException, DataplaneException {
    HostComputeNamespace ns =
        Objects.load(op, tx, ObjectKind.NAMESPACE, namespaceId, HostComputeNamespace.class);
    List<NamespaceResource> resources = new ArrayList<>(ns.resources());
    resources.removeIf(
        r -> r.data() != null && ep.id() != null && ep.id().equalsIgnoreCase(r.data().id()));
    HostComputeNamespace out = ns.withResources(resources);
    tx.replace(
        ObjectKind.ENDPOINT, String.valueOf(ep.id()), HcnCodec.write(ep.withNamespace(null)));
    tx.replace(ObjectKind.NAMESPACE, String.valueOf(ns.id()), HcnCodec.write(out));
    tx.done(dp.detachEndpoint(ns, net, ep));
    return out;
  }
}
