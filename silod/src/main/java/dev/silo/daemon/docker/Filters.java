package dev.silo.daemon.docker;

import com.fasterxml.jackson.databind.JsonNode;
import dev.silo.daemon.http.ApiException;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The {@code filters} query parameter of the Docker API: {@code {"name":{"n1":true}}} (current
 * clients) or {@code {"name":["n1"]}} (old ones), validated against the keys a route accepts.
 */
public final class Filters {
  private final Map<String, Set<String>> values;
  private final Map<String, java.util.regex.Pattern> patterns = new java.util.HashMap<>();

  private Filters(Map<String, Set<String>> values) {
    this.values = values;
  }

  /** No filters. */
  public static Filters none() {
    return new Filters(Map.of());
  }

  /** Parses the parameter; unknown keys fail as dockerd's {@code invalid filter 'key'}. */
  public static Filters parse(@Nullable String json, Set<String> accepted) throws ApiException {
    if (json == null || json.isBlank()) {
      return none();
    }
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(json);
    } catch (java.io.IOException e) {
      throw ApiException.badParameter("invalid filter: " + json);
    }
    if (root == null || !root.isObject()) {
      throw ApiException.badParameter("invalid filter: " + json);
    }
    Map<String, Set<String>> out = new TreeMap<>();
    for (Map.Entry<String, JsonNode> e : root.properties()) {
      if (!accepted.contains(e.getKey())) {
        throw ApiException.badParameter("invalid filter '" + e.getKey() + "'");
      }
      Set<String> vs = new LinkedHashSet<>();
      JsonNode v = e.getValue();
      if (v.isObject()) {
        for (Map.Entry<String, JsonNode> x : v.properties()) {
          if (x.getValue().asBoolean()) {
            vs.add(x.getKey());
          }
        }
      } else if (v.isArray()) {
        v.forEach(x -> vs.add(x.asText()));
      } else {
        throw ApiException.badParameter("invalid filter: " + json);
      }
      out.put(e.getKey(), vs);
    }
    return new Filters(out);
  }

  public boolean has(String key) {
    return values.containsKey(key);
  }

  public Set<String> get(String key) {
    return values.getOrDefault(key, Set.of());
  }

  /** True when the key is absent or one of its values equals {@code value}. */
  public boolean exact(String key, String value) {
    return !has(key) || get(key).contains(value);
  }

  /** True when the key is absent or one of its values is contained in {@code value}. */
  public boolean contains(String key, String value) {
    if (!has(key)) {
      return true;
    }
    for (String v : get(key)) {
      if (value.contains(v)) {
        return true;
      }
    }
    return false;
  }

  /**
   * True when the key is absent or one of its values, a regular expression as in dockerd, is found
   * in one of {@code candidates}; a value that is no regular expression is a 400.
   */
  public boolean regex(String key, String... candidates) throws ApiException {
    if (!has(key)) {
      return true;
    }
    for (String v : get(key)) {
      java.util.regex.Pattern p = patterns.get(v); // compiled once per request, not per object
      if (p == null) {
        try {
          p = java.util.regex.Pattern.compile(v);
        } catch (java.util.regex.PatternSyntaxException e) {
          throw ApiException.badParameter(
              "invalid filter '" + key + "=" + v + "': " + e.getDescription());
        }
        patterns.put(v, p);
      }
      for (String c : candidates) {
        if (p.matcher(c).find()) {
          return true;
        }
      }
    }
    return false;
  }

  /** True when the key is absent or one of its values is a prefix of {@code value}. */
  public boolean prefix(String key, String value) {
    if (!has(key)) {
      return true;
    }
    for (String v : get(key)) {
      if (value.startsWith(v)) {
        return true;
      }
    }
    return false;
  }

  /** The {@code label} filter: every {@code key} or {@code key=value} must be in the labels. */
  public boolean labels(String key, Map<String, String> labels) {
    for (String want : get(key)) {
      int eq = want.indexOf('=');
      if (eq < 0
          ? !labels.containsKey(want)
          : !want.substring(eq + 1).equals(labels.get(want.substring(0, eq)))) {
        return false;
      }
    }
    return true;
  }

  /** The {@code label!} filter: no {@code key} or {@code key=value} of it may be in the labels. */
  public boolean notLabels(String key, Map<String, String> labels) {
    for (String unwanted : get(key)) {
      int eq = unwanted.indexOf('=');
      if (eq < 0
          ? labels.containsKey(unwanted)
          : unwanted.substring(eq + 1).equals(labels.get(unwanted.substring(0, eq)))) {
        return false;
      }
    }
    return true;
  }
}
