package dev.silo.hcs.internal;

/** A spec the plan compiler cannot turn into steps; the message names the field and the reason. */
public final class PlanException extends Exception {
  private static final long serialVersionUID = 1L;

  public PlanException(String message) {
    super(message);
  }
}
