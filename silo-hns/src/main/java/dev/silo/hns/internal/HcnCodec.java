package dev.silo.hns.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.silo.api.HResult;
import dev.silo.api.HnsException;

/**
 * The one JSON mapper of the network service: compact, strict about unknown fields (so a policy
 * whose Settings belong to another Type fails with the field named), lenient about the missing
 * Settings of {@code L2Driver}.
 */
public final class HcnCodec {
  static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .disable(SerializationFeature.INDENT_OUTPUT)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .disable(DeserializationFeature.FAIL_ON_MISSING_EXTERNAL_TYPE_ID_PROPERTY)
          .build();

  private HcnCodec() {}

  public static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + value.getClass().getSimpleName(), e);
    }
  }

  /** Reads a document; bad JSON is HCN_E_INVALID_JSON naming the problem. */
  public static <T> T read(String op, String id, String json, Class<T> type) throws HnsException {
    try {
      return MAPPER.readValue(json, type);
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw invalid(op, id, type, e);
    }
  }

  /** Converts a raw JSON tree (maps, lists…) into a record, as {@link #read} does. */
  public static <T> T convert(String op, String id, Object tree, Class<T> type)
      throws HnsException {
    try {
      return MAPPER.convertValue(tree, type);
    } catch (IllegalArgumentException e) {
      throw invalid(op, id, type, e);
    }
  }

  public static JsonNode tree(Object value) {
    return MAPPER.valueToTree(value);
  }

  public static ObjectMapper mapper() {
    return MAPPER;
  }

  private static HnsException invalid(String op, String id, Class<?> type, Exception e) {
    String msg = e.getMessage() == null ? e.toString() : e.getMessage();
    int cut = msg.indexOf("\n at [Source");
    String text = (cut < 0 ? msg : msg.substring(0, cut)).replace('\n', ' ');
    boolean policy = msg.contains("PolicySetting") || msg.contains("policy Type");
    HResult hr = policy ? HResult.HCN_E_INVALID_POLICY : HResult.HCN_E_INVALID_JSON;
    if (msg.contains("Could not resolve type id")) {
      hr = HResult.HCN_E_INVALID_POLICY_TYPE;
    }
    return HnsException.of(op, id, hr, type.getSimpleName() + ": " + text, e);
  }
}
