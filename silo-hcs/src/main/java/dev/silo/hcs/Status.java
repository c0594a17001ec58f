package dev.silo.hcs;

/**
 * The state of a compute system as the OCI runtime spec names it, with the HCS state it maps to
 * (runhcs prints the OCI name; HCS Properties carry the Windows one).
 */
public enum Status {
  CREATING("creating", "Created"),
  CREATED("created", "Created"),
  RUNNING("running", "Running"),
  PAUSED("paused", "Paused"),
  STOPPED("stopped", "Stopped");

  private final String ociName;
  private final String hcsState;

  Status(String ociName, String hcsState) {
    this.ociName = ociName;
    this.hcsState = hcsState;
  }

  /** The OCI runtime-spec state name: created, running, paused, stopped. */
  public String ociName() {
    return ociName;
  }

  /** The HCS {@code State} string: Created, Running, Paused, Stopped. */
  public String hcsState() {
    return hcsState;
  }
}
