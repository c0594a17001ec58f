package dev.silo.bench;

/** A runtime command failed or misbehaved during a measurement; the whole benchmark stops on it. */
public final class BenchException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Creates the exception with a one-line message naming the command and its error output. */
  public BenchException(String message) {
    super(message);
  }

  /** Creates the exception with a one-line message and the failure behind it. */
  public BenchException(String message, Throwable cause) {
    super(message, cause);
  }
}
