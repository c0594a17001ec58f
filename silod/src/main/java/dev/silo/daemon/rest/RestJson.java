package dev.silo.daemon.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.silo.daemon.http.ApiResponse;
import java.io.IOException;
import org.jspecify.annotations.Nullable;

/**
 * The REST API's JSON: strict reading of HCS/HCN documents (unknown fields fail), compact output.
 */
final class RestJson {
  static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .disable(DeserializationFeature.FAIL_ON_MISSING_EXTERNAL_TYPE_ID_PROPERTY)
          .serializationInclusion(JsonInclude.Include.NON_EMPTY)
          .build();

  private RestJson() {}

  /** Parses a document; the message names what is wrong, without Jackson's source dump. */
  static <T> T read(@Nullable String text, Class<T> type) throws BadDocument {
    if (text == null || text.isBlank()) {
      throw new BadDocument(type.getSimpleName() + ": the request body is empty");
    }
    try {
      return MAPPER.readValue(text, type);
    } catch (IOException | IllegalArgumentException e) {
      String m = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
      throw new BadDocument(type.getSimpleName() + ": " + String.valueOf(m).replace('\n', ' '));
    }
  }

  static ApiResponse reply(int status, Object value) {
    try {
      return ApiResponse.json(status, MAPPER.writeValueAsBytes(value));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write an answer", e);
    }
  }

  /** A request document that does not parse. */
  static final class BadDocument extends Exception {
    private static final long serialVersionUID = 1L;

    BadDocument(String message) {
      super(message);
    }
  }
}
