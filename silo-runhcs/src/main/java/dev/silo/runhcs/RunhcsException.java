package dev.silo.runhcs;

/** A runtime error whose message is already the one line the user should see. */
final class RunhcsException extends Exception {
  private static final long serialVersionUID = 1L;

  RunhcsException(String message) {
    super(message);
  }
}
