package dev.silo.daemon.rest;

import dev.silo.api.HResult;
import dev.silo.api.HnsException;
import dev.silo.daemon.http.ApiRequest;
import dev.silo.daemon.http.ApiResponse;
import dev.silo.daemon.http.Handler;
import dev.silo.daemon.http.Router;
import dev.silo.hns.HostNetworkService;
import dev.silo.schema.hcn.HostComputeEndpoint;
import dev.silo.schema.hcn.HostComputeLoadBalancer;
import dev.silo.schema.hcn.HostComputeNamespace;
import dev.silo.schema.hcn.HostComputeNetwork;
import dev.silo.schema.hcn.HostComputeQuery;
import dev.silo.schema.hcn.ModificationRequest;
import org.jspecify.annotations.Nullable;

/**
 * The HNS REST API, {@code /hns/v2/{networks|endpoints|namespaces|loadbalancers}[/{id}]}: the HCN
 * v2 calls of {@code computenetwork.dll} over HTTP (list with an optional {@code query} parameter
 * holding a HostComputeQuery, get, create, modify, delete), on the daemon's one {@link
 * HostNetworkService}.
 */
public final class HnsRestApi {
  private static final String BASE = "/hns/v2";

  private final HostNetworkService hns;

  public HnsRestApi(HostNetworkService hns) {
    this.hns = hns;
  }

  @FunctionalInterface
  private interface Call {
    ApiResponse run(ApiRequest r) throws HnsException, RestJson.BadDocument;
  }

  private static Handler wrap(Call c) {
    return r -> {
      try {
        return c.run(r);
      } catch (HnsException e) {
        return RestErrors.hns(e);
      } catch (RestJson.BadDocument e) {
        return RestErrors.of(400, HResult.HCN_E_INVALID_JSON, String.valueOf(e.getMessage()));
      }
    };
  }

  /** Adds the routes. */
  public void register(Router r) {
    r.add("GET", BASE + "/networks", wrap(q -> ok(hns.listNetworks(query(q)))));
    r.add("GET", BASE + "/networks/{id}", wrap(q -> ok(hns.getNetworkById(q.var("id")))));
    r.add(
        "POST",
        BASE + "/networks",
        wrap(
            q ->
                created(hns.createNetwork(RestJson.read(q.bodyText(), HostComputeNetwork.class)))));
    modify(r, "networks", q -> ok(hns.modifyNetwork(q.var("id"), modification(q))));
    r.add("DELETE", BASE + "/networks/{id}", wrap(q -> gone(() -> hns.deleteNetwork(q.var("id")))));

    r.add("GET", BASE + "/endpoints", wrap(q -> ok(hns.listEndpoints(query(q)))));
    r.add("GET", BASE + "/endpoints/{id}", wrap(q -> ok(hns.getEndpointById(q.var("id")))));
    r.add(
        "POST",
        BASE + "/endpoints",
        wrap(
            q ->
                created(
                    hns.createEndpoint(RestJson.read(q.bodyText(), HostComputeEndpoint.class)))));
    modify(r, "endpoints", q -> ok(hns.modifyEndpoint(q.var("id"), modification(q))));
    r.add(
        "DELETE", BASE + "/endpoints/{id}", wrap(q -> gone(() -> hns.deleteEndpoint(q.var("id")))));

    r.add("GET", BASE + "/namespaces", wrap(q -> ok(hns.listNamespaces(query(q)))));
    r.add("GET", BASE + "/namespaces/{id}", wrap(q -> ok(hns.getNamespaceById(q.var("id")))));
    r.add(
        "POST",
        BASE + "/namespaces",
        wrap(
            q ->
                created(
                    hns.createNamespace(RestJson.read(q.bodyText(), HostComputeNamespace.class)))));
    modify(r, "namespaces", q -> ok(hns.modifyNamespace(q.var("id"), modification(q))));
    r.add(
        "DELETE",
        BASE + "/namespaces/{id}",
        wrap(q -> gone(() -> hns.deleteNamespace(q.var("id")))));

    r.add("GET", BASE + "/loadbalancers", wrap(q -> ok(hns.listLoadBalancers(query(q)))));
    r.add("GET", BASE + "/loadbalancers/{id}", wrap(q -> ok(hns.getLoadBalancerById(q.var("id")))));
    r.add(
        "POST",
        BASE + "/loadbalancers",
        wrap(
            q ->
                created(
                    hns.createLoadBalancer(
                        RestJson.read(q.bodyText(), HostComputeLoadBalancer.class)))));
    // HNS 15.4 ModifyLoadbalancer replaces the whole balancer in place
    modify(
        r,
        "loadbalancers",
        q ->
            ok(
                hns.updateLoadBalancer(
                    q.var("id"), RestJson.read(q.bodyText(), HostComputeLoadBalancer.class))));
    r.add(
        "DELETE",
        BASE + "/loadbalancers/{id}",
        wrap(q -> gone(() -> hns.deleteLoadBalancer(q.var("id")))));
  }

  private static void modify(Router r, String kind, Call c) {
    r.add("PATCH", BASE + "/" + kind + "/{id}", wrap(c));
    r.add("POST", BASE + "/" + kind + "/{id}", wrap(c));
  }

  private static @Nullable HostComputeQuery query(ApiRequest r) throws RestJson.BadDocument {
    String q = r.param("query");
    return q == null || q.isBlank() ? null : RestJson.read(q, HostComputeQuery.class);
  }

  private static ModificationRequest modification(ApiRequest r) throws RestJson.BadDocument {
    return RestJson.read(r.bodyText(), ModificationRequest.class);
  }

  @FunctionalInterface
  private interface Delete {
    void run() throws HnsException;
  }

  private static ApiResponse gone(Delete d) throws HnsException {
    d.run();
    return ApiResponse.empty(204);
  }

  private static ApiResponse ok(Object o) {
    return RestJson.reply(200, o);
  }

  private static ApiResponse created(Object o) {
    return RestJson.reply(201, o);
  }
}
