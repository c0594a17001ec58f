package dev.silo.daemon.http;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Routes by method and path template ({@code /networks/{id}}); a {@code {name:*}} variable at the
 * end takes the rest of the path. Routes are tried in the order they were added.
 */
public final class Router {
  /** A route that matched: its handler and the variables taken from the path. */
  public record Match(Handler handler, Map<String, String> vars) {}

  private record Route(String method, String[] segments, Handler handler) {}

  private final List<Route> routes = new ArrayList<>();

  /** Adds a route; {@code method} is GET, POST, … (HEAD is answered by GET routes too). */
  public Router add(String method, String template, Handler handler) {
    routes.add(new Route(method.toUpperCase(Locale.ROOT), split(template), handler));
    return this;
  }

  /** The route for the request, or null when no route matches (dockerd: 404 page not found). */
  public @Nullable Match match(String method, String path) {
    String[] parts = split(path);
    for (String m : method.equals("HEAD") ? List.of("HEAD", "GET") : List.of(method)) {
      for (Route r : routes) {
        if (!r.method.equals(m)) {
          continue;
        }
        Map<String, String> vars = bind(r.segments, parts);
        if (vars != null) {
          return new Match(r.handler, vars);
        }
      }
    }
    return null;
  }

  private static @Nullable Map<String, String> bind(String[] template, String[] parts) {
    Map<String, String> vars = new HashMap<>();
    for (int i = 0; i < template.length; i++) {
      String t = template[i];
      if (t.startsWith("{") && t.endsWith(":*}")) {
        if (i >= parts.length) {
          return null;
        }
        vars.put(
            t.substring(1, t.length() - 3),
            String.join("/", List.of(parts).subList(i, parts.length)));
        return vars;
      }
      if (i >= parts.length) {
        return null;
      }
      if (t.startsWith("{") && t.endsWith("}")) {
        if (parts[i].isEmpty()) {
          return null;
        }
        vars.put(t.substring(1, t.length() - 1), parts[i]);
      } else if (!t.equals(parts[i])) {
        return null;
      }
    }
    return template.length == parts.length ? vars : null;
  }

  private static String[] split(String path) {
    String p = path;
    while (p.startsWith("/")) {
      p = p.substring(1);
    }
    while (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p.isEmpty() ? new String[0] : p.split("/", -1);
  }
}
