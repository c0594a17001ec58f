package dev.silo.runhcs;

/** A command line runhcs cannot accept: unknown flag, missing value or argument. */
final class UsageException extends Exception {
  private static final long serialVersionUID = 1L;

  UsageException(String message) {
    super(message);
  }
}
