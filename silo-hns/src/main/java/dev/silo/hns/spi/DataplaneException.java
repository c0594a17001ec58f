package dev.silo.hns.spi;

import org.jspecify.annotations.Nullable;

/** A dataplane step failed; the service rolls the call back and reports it as an HNS failure. */
public final class DataplaneException extends Exception {
  private static final long serialVersionUID = 1L;

  public DataplaneException(String message) {
    super(message);
  }

  public DataplaneException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
