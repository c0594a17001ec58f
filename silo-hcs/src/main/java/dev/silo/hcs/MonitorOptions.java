package dev.silo.hcs;

/**
 * A container run under a {@code silo-monitor} (daemon mode; docs/monitor.md): how its json-file
 * log rotates and whether its stdin stays open for attach clients (Docker's {@code OpenStdin}).
 */
public record MonitorOptions(LogOptions log, boolean openStdin) {}
