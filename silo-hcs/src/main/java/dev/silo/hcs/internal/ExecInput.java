package dev.silo.hcs.internal;

import dev.silo.schema.oci.Process;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** What the exec plan needs: the process, the running init and what it joins. */
public record ExecInput(
    Process process,
    int initPid,
    Set<String> namespaces,
    Path rootfs,
    @Nullable String consoleSocket,
    int preserveFds,
    boolean foreground,
    List<Path> cgroupProcs,
    byte @Nullable [] seccompProgram,
    int seccompFlags,
    int lastCap,
    List<String> extraEnv) {

  public ExecInput {
    extraEnv = List.copyOf(extraEnv);
    namespaces = Set.copyOf(namespaces);
    cgroupProcs = List.copyOf(cgroupProcs);
  }
}
