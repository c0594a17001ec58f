package dev.silo.hcs;

import dev.silo.schema.oci.Spec;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * The runtime options of one HcsCreateComputeSystem call that are not part of the HCS document:
 * what runhcs create/run was asked for on its command line.
 *
 * @param bundle the OCI bundle the document came from (state and hooks report it)
 * @param ociSpec for a {@code Container} document translated from a bundle: the spec that supplies
 *     what HCS v2 has no field for (the process, namespaces, masked paths, seccomp, hooks)
 * @param foreground the caller stays the parent and waits for the exit ({@code run} without -d)
 * @param owner the owner when the document names none ({@code runhcs --owner})
 * @param monitor run the container under a {@code silo-monitor} (daemon mode), or null for runhcs's
 *     daemonless way
 */
public record CreateOptions(
    Path bundle,
    @Nullable Spec ociSpec,
    @Nullable String consoleSocket,
    @Nullable Path pidFile,
    boolean noPivot,
    int preserveFds,
    boolean foreground,
    String owner,
    @Nullable MonitorOptions monitor) {

  /** Options without a monitor (runhcs). */
  public CreateOptions(
      Path bundle,
      @Nullable Spec ociSpec,
      @Nullable String consoleSocket,
      @Nullable Path pidFile,
      boolean noPivot,
      int preserveFds,
      boolean foreground,
      String owner) {
    this(bundle, ociSpec, consoleSocket, pidFile, noPivot, preserveFds, foreground, owner, null);
  }

  /** The same options with the container run under a monitor. */
  public CreateOptions withMonitor(MonitorOptions m) {
    return new CreateOptions(
        bundle, ociSpec, consoleSocket, pidFile, noPivot, preserveFds, foreground, owner, m);
  }

  /** The options of an existing bundle request, without its spec. */
  static CreateOptions of(CreateRequest req) {
    return new CreateOptions(
        req.bundle(),
        req.spec(),
        req.consoleSocket(),
        req.pidFile(),
        req.noPivot(),
        req.preserveFds(),
        req.foreground(),
        req.owner(),
        req.monitor());
  }

  /**
   * A detached create with no console and no pid file, for a document that carries everything (a
   * HostedSystem LinuxContainer names its own bundle; "/" stands in when it does not).
   */
  public static CreateOptions detached(@Nullable String owner) {
    return new CreateOptions(
        Path.of("/"), null, null, null, false, 0, false, owner == null ? "" : owner);
  }
}
