package dev.silo.daemon;

import dev.silo.api.HResult;
import dev.silo.daemon.docker.Json;
import dev.silo.daemon.http.ApiException;
import dev.silo.daemon.http.ApiRequest;
import dev.silo.daemon.http.ApiResponse;
import dev.silo.daemon.http.ApiVersion;
import dev.silo.daemon.http.Dispatcher;
import dev.silo.daemon.http.Router;
import dev.silo.daemon.rest.RestErrors;
import java.util.Map;

/**
 * The socket's two APIs: {@code /hcs/…} and {@code /hns/…} go to the REST router (HRESULT errors),
 * everything else is the Docker Engine API behind dockerd's version middleware ({@code /vX.Y}
 * prefix, version headers on every answer, {@code {"message"}} errors).
 */
public final class Dispatch implements Dispatcher {
  private final Router docker;
  private final Router rest;
  private final Log log;
  private final Map<String, String> versionHeaders;

  public Dispatch(Router docker, Router rest, Log log) {
    this.docker = docker;
    this.rest = rest;
    this.log = log;
    this.versionHeaders =
        Map.of(
            "Server",
            "Docker/" + dev.silo.daemon.docker.SystemApi.VERSION + " (linux)",
            "API-Version",
            ApiVersion.MAX,
            "OSType",
            "linux");
  }

  @Override
  public ApiResponse dispatch(ApiRequest request) {
    log.debug("Calling " + request.method() + " " + request.path());
    if (request.path().startsWith("/hcs/") || request.path().startsWith("/hns/")) {
      return restCall(request);
    }
    ApiVersion.Split split = ApiVersion.split(request.path());
    Router.Match m = docker.match(request.method(), split.path());
    if (m == null) {
      return Json.error(ApiException.notFound("page not found"));
    }
    try {
      String version = ApiVersion.negotiate(split.version());
      ApiRequest r =
          new ApiRequest(
              request.method(),
              split.path(),
              version,
              request.query(),
              request.headers(),
              request.body(),
              m.vars());
      return m.handler().handle(r).withHeaders(versionHeaders);
    } catch (ApiException e) {
      if (e.status() >= 500) {
        log.error(
            "Handler for "
                + request.method()
                + " "
                + request.path()
                + " returned error: "
                + e.getMessage());
      } else {
        log.debug(
            "Handler for "
                + request.method()
                + " "
                + request.path()
                + " returned error: "
                + e.getMessage());
      }
      return Json.error(e);
    } catch (RuntimeException | LinkageError e) { // LinkageError: a class missing from the install
      log.error("Handler for " + request.method() + " " + request.path() + " failed: " + e);
      return Json.error(ApiException.internal(String.valueOf(e.getMessage()), e));
    }
  }

  private ApiResponse restCall(ApiRequest request) {
    Router.Match m = rest.match(request.method(), request.path());
    HResult unsupported =
        request.path().startsWith("/hns/") ? HResult.HCN_E_REQUEST_UNSUPPORTED : HResult.E_NOTIMPL;
    if (m == null) {
      return RestErrors.of(
          404, unsupported, request.method() + " " + request.path() + " is not supported");
    }
    try {
      return m.handler().handle(request.withVars(m.vars()));
    } catch (ApiException e) {
      return RestErrors.of(e.status(), HResult.E_FAIL, e.getMessage());
    } catch (RuntimeException | LinkageError e) {
      log.error(request.method() + " " + request.path() + " failed: " + e);
      return RestErrors.of(500, HResult.E_FAIL, String.valueOf(e.getMessage()));
    }
  }
}
