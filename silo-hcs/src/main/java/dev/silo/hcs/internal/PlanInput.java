package dev.silo.hcs.internal;

import dev.silo.schema.oci.Spec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Everything the plan compiler needs besides the OCI spec: where things are on the host, and what
 * the runtime call asked for (console socket, no-pivot, preserved fds, foreground run).
 *
 * @param cgroupProcs the {@code cgroup.procs} files the init joins
 * @param cgroupDirs hierarchy mount point (e.g. {@code /sys/fs/cgroup/memory}) → this container's
 *     dir in it
 * @param seccompProgram the compiled BPF program, or null without a seccomp profile
 */
public record PlanInput(
    Spec spec,
    Path bundle,
    Path rootfs,
    Path stateDir,
    @Nullable String consoleSocket,
    boolean noPivot,
    int preserveFds,
    boolean foreground,
    List<Path> cgroupProcs,
    Map<Path, Path> cgroupDirs,
    byte @Nullable [] seccompProgram,
    int seccompFlags,
    int lastCap,
    List<String> extraEnv) {

  public PlanInput {
    extraEnv = List.copyOf(extraEnv);
    cgroupProcs = List.copyOf(cgroupProcs);
    cgroupDirs = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(cgroupDirs));
  }
}
