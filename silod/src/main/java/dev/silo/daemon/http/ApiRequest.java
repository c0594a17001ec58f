package dev.silo.daemon.http;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One HTTP request as the handlers see it, free of the transport: the path with any {@code /vX.Y}
 * prefix removed, the API version the client asked for (or the server's default), decoded query
 * parameters, lower-cased header names, the whole body and the path variables of the route.
 *
 * @param method upper-case HTTP method
 * @param path the path without the version prefix and without the query
 * @param apiVersion the negotiated API version (Docker routes), empty for the REST API
 * @param query decoded query parameters, in order
 * @param headers header values by lower-case name
 * @param body the request body, empty when none
 * @param vars path variables of the matched route
 */
public record ApiRequest(
    String method,
    String path,
    String apiVersion,
    Map<String, List<String>> query,
    Map<String, String> headers,
    byte[] body,
    Map<String, String> vars) {

  /** Copies the maps so the record stays immutable. */
  public ApiRequest {
    query = Map.copyOf(query);
    headers = Map.copyOf(headers);
    vars = Map.copyOf(vars);
  }

  /** The same request with the path variables of a matched route. */
  public ApiRequest withVars(Map<String, String> newVars) {
    return new ApiRequest(method, path, apiVersion, query, headers, body, newVars);
  }

  /** The first value of a query parameter, or null. */
  public @Nullable String param(String name) {
    List<String> v = query.get(name);
    return v == null || v.isEmpty() ? null : v.get(0);
  }

  /** A boolean query parameter as dockerd reads it: 1, true, True, TRUE are true. */
  public boolean flag(String name) {
    String v = param(name);
    return v != null && (v.equals("1") || v.equalsIgnoreCase("true"));
  }

  /** A path variable of the route (always present when the route matched). */
  public String var(String name) {
    String v = vars.get(name);
    if (v == null) {
      throw new IllegalStateException("route has no variable " + name);
    }
    return v;
  }

  /** A header value by case-insensitive name, or null. */
  public @Nullable String header(String name) {
    return headers.get(name.toLowerCase(java.util.Locale.ROOT));
  }

  /** The body as UTF-8 text. */
  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }
}
