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

  @FunctionalInterface
  private interface ListCall {
    Object run(@Nullable HostComputeQuery query) throws HnsException;
  }

  @FunctionalInterface
  private interface ByIdCall {
    Object run(String id) throws HnsException;
  }

  @FunctionalInterface
  private interface CreateCall<T> {
    Object run(T document) throws HnsException;
  }

  @FunctionalInterface
  private interface DeleteCall {
    void run(String id) throws HnsException;
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
    objects(
        r,
        "networks",
        HostComputeNetwork.class,
        hns::listNetworks,
        hns::getNetworkById,
        hns::createNetwork,
        q -> ok(hns.modifyNetwork(q.var("id"), modification(q))),
        hns::deleteNetwork);
    objects(
        r,
        "endpoints",
        HostComputeEndpoint.class,
        hns::listEndpoints,
        hns::getEndpointById,
        hns::createEndpoint,
        q -> ok(hns.modifyEndpoint(q.var("id"), modification(q))),
        hns::deleteEndpoint);
    objects(
        r,
        "namespaces",
        HostComputeNamespace.class,
        hns::listNamespaces,
        hns::getNamespaceById,
        hns::createNamespace,
        q -> ok(hns.modifyNamespace(q.var("id"), modification(q))),
        hns::deleteNamespace);
    objects(
        r,
        "loadbalancers",
        HostComputeLoadBalancer.class,
        hns::listLoadBalancers,
        hns::getLoadBalancerById,
        hns::createLoadBalancer,
        // HNS 15.4 ModifyLoadbalancer replaces the whole balancer in place
        q ->
            ok(
                hns.updateLoadBalancer(
                    q.var("id"), RestJson.read(q.bodyText(), HostComputeLoadBalancer.class))),
        hns::deleteLoadBalancer);
  }

  /** One HCN object kind: list, get, create, modify (PATCH, or POST on the id) and delete. */
  private static <T> void objects(
      Router r,
      String kind,
      Class<T> type,
      ListCall list,
      ByIdCall get,
      CreateCall<T> create,
      Call modify,
      DeleteCall delete) {
    String base = BASE + "/" + kind;
    r.add("GET", base, wrap(q -> ok(list.run(query(q)))));
    r.add("GET", base + "/{id}", wrap(q -> ok(get.run(q.var("id")))));
    r.add("POST", base, wrap(q -> created(create.run(RestJson.read(q.bodyText(), type)))));
    r.add("PATCH", base + "/{id}", wrap(modify));
    r.add("POST", base + "/{id}", wrap(modify));
    r.add(
        "DELETE",
        base + "/{id}",
        wrap(
            q -> {
              delete.run(q.var("id"));
              return ApiResponse.empty(204);
            }));
  }

  private static @Nullable HostComputeQuery query(ApiRequest r) throws RestJson.BadDocument {
    String q = r.param("query");
    return q == null || q.isBlank() ? null : RestJson.read(q, HostComputeQuery.class);
  }

  private static ModificationRequest modification(ApiRequest r) throws RestJson.BadDocument {
    return RestJson.read(r.bodyText(), ModificationRequest.class);
  }

  private static ApiResponse ok(Object o) {
    return RestJson.reply(200, o);
  }

  private static ApiResponse created(Object o) {
    return RestJson.reply(201, o);
  }
}
