package dev.silo.daemon.docker;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.silo.daemon.http.ApiException;
import dev.silo.daemon.http.ApiRequest;
import dev.silo.daemon.http.ApiResponse;
import java.util.Map;

/** The Docker API's JSON: reading request bodies as dockerd does, writing answers and errors. */
public final class Json {
  /** The mapper of the Docker routes. */
  public static final ObjectMapper MAPPER = JsonMapper.builder().build();

  private Json() {}

  public static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  /**
   * The request body as JSON, with dockerd's checks: a body must be {@code application/json}, an
   * empty one is {@code got EOF}, and a malformed one is {@code invalid JSON: …} (400 each).
   */
  public static JsonNode body(ApiRequest r) throws ApiException {
    String ct = r.header("content-type");
    if (r.body().length > 0 && ct != null && !ct.isEmpty()) {
      String mime = ct.split(";", 2)[0].trim();
      if (!mime.equalsIgnoreCase("application/json")) {
        throw ApiException.badParameter(
            "unsupported Content-Type header (" + mime + "): must be 'application/json'");
      }
    }
    if (r.body().length == 0 || r.bodyText().isBlank()) {
      throw ApiException.badParameter("invalid JSON: got EOF while reading request body");
    }
    try {
      JsonNode n = MAPPER.readTree(r.body());
      if (n == null || !n.isObject()) {
        throw ApiException.badParameter(
            "invalid JSON: json: cannot unmarshal "
                + (n == null ? "null" : n.getNodeType().name().toLowerCase(java.util.Locale.ROOT))
                + " into a request object");
      }
      return n;
    } catch (JsonProcessingException e) {
      throw ApiException.badParameter("invalid JSON: " + e.getOriginalMessage());
    } catch (java.io.IOException e) {
      throw ApiException.badParameter("invalid JSON: " + e.getMessage());
    }
  }

  /** A JSON answer. */
  public static ApiResponse reply(int status, Object value) {
    try {
      return ApiResponse.json(status, MAPPER.writeValueAsBytes(value));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write an answer", e);
    }
  }

  /** The Docker error body {@code {"message": "…"}}. */
  public static ApiResponse error(ApiException e) {
    return reply(e.status(), Map.of("message", e.getMessage()));
  }

  /** A text field of a node, empty when absent or null. */
  public static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? "" : v.asText();
  }

  /** A string map field ({@code Labels}, {@code Options}); non-string values are a 400. */
  public static Map<String, String> strings(JsonNode n, String field) throws ApiException {
    JsonNode v = n.get(field);
    Map<String, String> out = new java.util.TreeMap<>();
    if (v == null || v.isNull()) {
      return out;
    }
    if (!v.isObject()) {
      throw ApiException.badParameter(
          "invalid JSON: json: cannot unmarshal " + v.getNodeType() + " into field " + field);
    }
    for (Map.Entry<String, JsonNode> e : v.properties()) {
      out.put(e.getKey(), e.getValue().asText());
    }
    return out;
  }
}
