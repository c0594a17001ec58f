package dev.silo.hns;

import dev.silo.api.HResult;
import dev.silo.api.HnsException;
import dev.silo.hns.linux.LinuxDataplane;
import dev.silo.hns.spi.Dataplane;
import dev.silo.hns.spi.DataplaneException;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * Where the network service keeps its state and what it programs.
 *
 * @param database the desired-state SQLite file (default {@code /var/lib/silo/hns.db})
 * @param bootIdFile the kernel boot id (default {@code /proc/sys/kernel/random/boot_id})
 * @param dataplane the kernel programming behind the service
 * @param reconcile when {@link HostNetworkService#open} reconciles
 * @param hostNetns the named netns ({@code /run/netns/NAME}) that is the HNS host for the Linux
 *     dataplane, null for the process's own namespace
 */
public record HnsOptions(
    Path database,
    Path bootIdFile,
    Dataplane dataplane,
    Reconcile reconcile,
    @Nullable String hostNetns) {

  /** Options in the process's own network namespace (the form before host netns existed). */
  public HnsOptions(Path database, Path bootIdFile, Dataplane dataplane, Reconcile reconcile) {
    this(database, bootIdFile, dataplane, reconcile, null);
  }

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

  /**
   * Defaults with the Linux kernel dataplane of host netns {@code hostNetns} (null: the process's
   * own namespace), the one obvious way to get a real HNS.
   */
  public static HnsOptions linux(@Nullable String hostNetns) throws HnsException {
    try {
      return defaults(LinuxDataplane.open(hostNetns)).withHostNetns(hostNetns);
    } catch (DataplaneException e) {
      throw HnsException.of(
          "hnsOpen", String.valueOf(hostNetns), HResult.E_FAIL, String.valueOf(e.getMessage()), e);
    }
  }

  public HnsOptions withDatabase(Path file) {
    return new HnsOptions(file, bootIdFile, dataplane, reconcile, hostNetns);
  }

  public HnsOptions withBootIdFile(Path file) {
    return new HnsOptions(database, file, dataplane, reconcile, hostNetns);
  }

  public HnsOptions withReconcile(Reconcile when) {
    return new HnsOptions(database, bootIdFile, dataplane, when, hostNetns);
  }

  public HnsOptions withDataplane(Dataplane other) {
    return new HnsOptions(database, bootIdFile, other, reconcile, hostNetns);
  }

  /** Records the host netns; the dataplane must already be one of that namespace. */
  public HnsOptions withHostNetns(@Nullable String name) {
    return new HnsOptions(database, bootIdFile, dataplane, reconcile, name);
  }
}
