package dev.silo.hcs;

import org.jspecify.annotations.Nullable;

/**
 * The state of a monitored container as a (re)started daemon sees it from its state directory.
 *
 * @param monitorPid the silo-monitor's pid, or -1 when none is alive (it exited with the container,
 *     or was killed: then the output is no longer logged)
 * @param exitCode the init's exit code (128+signal when killed) once stopped; -1 when it stopped
 *     with no monitor left to record how; null while it has not stopped
 * @param signal the signal that killed the init, 0 if it exited
 * @param finishedAt when the init exited (RFC 3339), or null
 */
public record MonitoredState(
    String id,
    Status status,
    int initPid,
    int monitorPid,
    @Nullable Integer exitCode,
    int signal,
    @Nullable String finishedAt) {}
