package dev.silo.hcs;

import dev.silo.schema.oci.Spec;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * A request to create a compute system from an OCI bundle (HcsCreateComputeSystem, as runhcs create
 * makes it): the spec, where the bundle is, and the runtime options of the call.
 *
 * @param foreground the caller stays the parent and waits for the exit ({@code run} without -d)
 * @param monitor run the container under a {@code silo-monitor}, or null (runhcs)
 */
public record CreateRequest(
    String id,
    Path bundle,
    Spec spec,
    @Nullable String consoleSocket,
    @Nullable Path pidFile,
    boolean noPivot,
    int preserveFds,
    boolean foreground,
    String owner,
    @Nullable MonitorOptions monitor) {

  /** A request without a monitor (runhcs). */
  public CreateRequest(
      String id,
      Path bundle,
      Spec spec,
      @Nullable String consoleSocket,
      @Nullable Path pidFile,
      boolean noPivot,
      int preserveFds,
      boolean foreground,
      String owner) {
    this(id, bundle, spec, consoleSocket, pidFile, noPivot, preserveFds, foreground, owner, null);
  }

  /** The same request with the container run under a monitor. */
  public CreateRequest withMonitor(MonitorOptions m) {
    return new CreateRequest(
        id, bundle, spec, consoleSocket, pidFile, noPivot, preserveFds, foreground, owner, m);
  }

  /** A detached create with no console, no pid file and runc's defaults. */
  public static CreateRequest of(String id, Path bundle, Spec spec) {
    return new CreateRequest(id, bundle, spec, null, null, false, 0, false, "");
  }
}
