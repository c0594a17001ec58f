package dev.silo.hcs;

import dev.silo.schema.oci.Process;
import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** A process to start in a running compute system (HcsCreateProcess; runc exec). */
public record ExecRequest(
    Process process,
    @Nullable String consoleSocket,
    @Nullable Path pidFile,
    int preserveFds,
    boolean detach,
    boolean ignorePaused,
    List<String> subCgroups) {

  public ExecRequest {
    subCgroups = List.copyOf(subCgroups);
  }
}
