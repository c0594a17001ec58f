package dev.silo.schema.hcn;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The test mapper, configured once, and access to the golden documents under {@code /hcn/}. */
final class HcnJson {
  /**
   * Compact output (no indentation), strict about unknown fields unless a record says otherwise:
   * the mapper silo-hns is expected to use, so the records are tested the way they will be used.
   */
  static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .disable(SerializationFeature.INDENT_OUTPUT)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          // L2Driver policies carry a Type and no Settings.
          .disable(DeserializationFeature.FAIL_ON_MISSING_EXTERNAL_TYPE_ID_PROPERTY)
          .build();

  private HcnJson() {}

  /** A golden document without its trailing newline. */
  static String golden(String name) {
    try (InputStream in = HcnJson.class.getResourceAsStream("/hcn/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no golden document " + name);
      }
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      if (!text.endsWith("\n")) {
        throw new IllegalStateException(name + " must end with exactly one newline");
      }
      return text.substring(0, text.length() - 1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static <T> T read(String json, Class<T> type) throws JsonProcessingException {
    return MAPPER.readValue(json, type);
  }

  static String write(Object value) throws JsonProcessingException {
    return MAPPER.writeValueAsString(value);
  }
}
