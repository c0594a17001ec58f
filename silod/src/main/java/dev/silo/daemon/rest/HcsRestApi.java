package dev.silo.daemon.rest;

import dev.silo.api.ComputeSystem;
import dev.silo.api.HResult;
import dev.silo.api.HcsException;
import dev.silo.api.HostComputeService;
import dev.silo.daemon.http.ApiRequest;
import dev.silo.daemon.http.ApiResponse;
import dev.silo.daemon.http.Handler;
import dev.silo.daemon.http.Router;
import dev.silo.schema.hcs.PropertyQuery;
import dev.silo.schema.hcs.ShutdownOptions;
import dev.silo.schema.hcs.State;
import dev.silo.schema.hcs.SystemQuery;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The HCS REST API, {@code /hcs/v2/systems[/{id}[/{operation}]]}: {@code computecore.dll}'s calls
 * over HTTP — enumerate (optional {@code query}: a SystemQuery), properties (optional {@code
 * query}: a PropertyQuery), create from a schema v2 document, start, pause, resume, shutdown
 * (optional ShutdownOptions body), terminate, and delete (terminate if needed, then close the
 * daemon's handle so the stopped system is removed).
 */
public final class HcsRestApi implements AutoCloseable {
  private static final String BASE = "/hcs/v2/systems";

  private final HostComputeService hcs;
  private final Map<String, ComputeSystem> handles = new HashMap<>();

  public HcsRestApi(HostComputeService hcs) {
    this.hcs = hcs;
  }

  @FunctionalInterface
  private interface Call {
    ApiResponse run(ApiRequest r) throws HcsException, RestJson.BadDocument;
  }

  private static Handler wrap(Call c) {
    return r -> {
      try {
        return c.run(r);
      } catch (HcsException e) {
        return RestErrors.hcs(e);
      } catch (RestJson.BadDocument e) {
        return RestErrors.of(400, HResult.HCS_E_INVALID_JSON, String.valueOf(e.getMessage()));
      }
    };
  }

  /** Adds the routes. */
  public void register(Router r) {
    r.add("GET", BASE, wrap(this::list));
    r.add("GET", BASE + "/{id}", wrap(q -> ok(properties(q))));
    r.add("POST", BASE + "/{id}", wrap(this::create));
    r.add("POST", BASE + "/{id}/start", wrap(q -> act(q, ComputeSystem::start)));
    r.add("POST", BASE + "/{id}/pause", wrap(q -> act(q, ComputeSystem::pause)));
    r.add("POST", BASE + "/{id}/resume", wrap(q -> act(q, ComputeSystem::resume)));
    r.add("POST", BASE + "/{id}/terminate", wrap(q -> act(q, ComputeSystem::terminate)));
    r.add("POST", BASE + "/{id}/shutdown", wrap(this::shutdown));
    r.add("DELETE", BASE + "/{id}", wrap(this::delete));
  }

  private ApiResponse list(ApiRequest r) throws HcsException, RestJson.BadDocument {
    String q = r.param("query");
    SystemQuery query =
        q == null || q.isBlank()
            ? new SystemQuery(List.of(), List.of(), List.of(), List.of())
            : RestJson.read(q, SystemQuery.class);
    return ok(hcs.enumerate(query));
  }

  private Object properties(ApiRequest r) throws HcsException, RestJson.BadDocument {
    String q = r.param("query");
    PropertyQuery query =
        q == null || q.isBlank()
            ? new PropertyQuery(List.of())
            : RestJson.read(q, PropertyQuery.class);
    return handle(r.var("id")).properties(query);
  }

  private ApiResponse create(ApiRequest r) throws HcsException, RestJson.BadDocument {
    String id = r.var("id");
    dev.silo.schema.hcs.ComputeSystem doc =
        RestJson.read(r.bodyText(), dev.silo.schema.hcs.ComputeSystem.class);
    ComputeSystem cs = hcs.create(id, doc);
    synchronized (handles) {
      handles.put(id, cs);
    }
    return RestJson.reply(201, cs.properties(new PropertyQuery(List.of())));
  }

  @FunctionalInterface
  private interface Action {
    void run(ComputeSystem cs) throws HcsException;
  }

  private ApiResponse act(ApiRequest r, Action a) throws HcsException {
    ComputeSystem cs = handle(r.var("id"));
    a.run(cs);
    return ok(cs.properties(new PropertyQuery(List.of())));
  }

  private ApiResponse shutdown(ApiRequest r) throws HcsException, RestJson.BadDocument {
    ComputeSystem cs = handle(r.var("id"));
    ShutdownOptions o =
        r.body().length == 0 ? null : RestJson.read(r.bodyText(), ShutdownOptions.class);
    cs.shutdown(o);
    return ok(cs.properties(new PropertyQuery(List.of())));
  }

  private ApiResponse delete(ApiRequest r) throws HcsException {
    String id = r.var("id");
    ComputeSystem cs = handle(id);
    State s = cs.properties(new PropertyQuery(List.of())).state();
    if (s != State.STOPPED) {
      cs.terminate();
    }
    synchronized (handles) {
      handles.remove(id);
    }
    cs.close();
    return ApiResponse.empty(204);
  }

  private ComputeSystem handle(String id) throws HcsException {
    synchronized (handles) {
      ComputeSystem cs = handles.get(id);
      if (cs == null) {
        cs = hcs.open(id);
        handles.put(id, cs);
      }
      return cs;
    }
  }

  private static ApiResponse ok(Object o) {
    return RestJson.reply(200, o);
  }

  /** Releases the daemon's handles; the systems keep running (a daemon stop leaves them alone). */
  @Override
  public void close() {
    synchronized (handles) {
      handles.clear();
    }
  }
}
