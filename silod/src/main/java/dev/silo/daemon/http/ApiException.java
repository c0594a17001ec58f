package dev.silo.daemon.http;

/**
 * A request that fails with an HTTP status and one message: dockerd's {@code errdefs} classes
 * (InvalidParameter 400, Forbidden 403, NotFound 404, Conflict 409, NotImplemented 501, System
 * 500), rendered by the route group in its own error body.
 */
public class ApiException extends Exception {
  private static final long serialVersionUID = 1L;

  private final int status;

  public ApiException(int status, String message) {
    super(message);
    this.status = status;
  }

  public ApiException(int status, String message, Throwable cause) {
    super(message, cause);
    this.status = status;
  }

  public int status() {
    return status;
  }

  public static ApiException badParameter(String message) {
    return new ApiException(400, message);
  }

  public static ApiException forbidden(String message) {
    return new ApiException(403, message);
  }

  public static ApiException notFound(String message) {
    return new ApiException(404, message);
  }

  public static ApiException conflict(String message) {
    return new ApiException(409, message);
  }

  public static ApiException notImplemented(String message) {
    return new ApiException(501, message);
  }

  public static ApiException internal(String message, Throwable cause) {
    return new ApiException(500, message, cause);
  }

  @Override
  public String getMessage() {
    String m = super.getMessage();
    return m == null ? "" : m;
  }
}
