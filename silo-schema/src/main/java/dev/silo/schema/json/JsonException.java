package dev.silo.schema.json;

/**
 * A JSON document that cannot be read: malformed text, or a field of the wrong type, named by its
 * path.
 */
public final class JsonException extends Exception {
  private static final long serialVersionUID = 1L;

  public JsonException(String message) {
    super(message);
  }
}
