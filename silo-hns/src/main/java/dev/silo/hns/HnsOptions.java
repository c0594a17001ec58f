package dev.silo.hns;

import dev.silo.hns.spi.Dataplane;
import java.nio.file.Path;

/**
 * Where the network service keeps its state and what it programs.
 *
 * @param database the desired-state SQLite file (default {@code /var/lib/silo/hns.db})
 * @param bootIdFile the kernel boot id (default {@code /proc/sys/kernel/random/boot_id})
 * @param dataplane the kernel programming behind the service
 * @param reconcile when {@link HostNetworkService#open} reconciles
 */
public record HnsOptions(Path database, Path bootIdFile, Dataplane dataplane, Reconcile reconcile) {

  /** Default store path; the daemon's persistent state dir. */
  public static final Path DEFAULT_DATABASE = Path.of("/var/lib/silo/hns.db");

  /** The kernel's random id of this boot. */
  public static final Path BOOT_ID = Path.of("/proc/sys/kernel/random/boot_id");

  /** When opening the service compares the store with the kernel. */
  public enum Reconcile {
    /** Every open (the daemon): cheap enough once, and repairs out-of-band deletes. */
    ALWAYS,
    /** Only when the boot id changed (short-lived CLIs such as runhcs). */
    WHEN_BOOT_CHANGED,
    /** Never on open (tests, hnsdiag inspection). */
    NEVER
  }

  /** Defaults with the given dataplane. */
  public static HnsOptions defaults(Dataplane dataplane) {
    return new HnsOptions(DEFAULT_DATABASE, BOOT_ID, dataplane, Reconcile.ALWAYS);
  }

  public HnsOptions withDatabase(Path file) {
    return new HnsOptions(file, bootIdFile, dataplane, reconcile);
  }

  public HnsOptions withBootIdFile(Path file) {
    return new HnsOptions(database, file, dataplane, reconcile);
  }

  public HnsOptions withReconcile(Reconcile when) {
    return new HnsOptions(database, bootIdFile, dataplane, when);
  }
}
