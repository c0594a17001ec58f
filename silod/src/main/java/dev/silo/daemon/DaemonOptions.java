package dev.silo.daemon;

import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * How silod runs (dockerd's flags where dockerd has one).
 *
 * @param socket the unix socket it serves ({@code -H unix://…})
 * @param dataRoot persistent state: HNS store, network records, volumes ({@code --data-root})
 * @param execRoot state that dies with a reboot: compute systems ({@code --exec-root})
 * @param logLevel debug, info, warn, error, fatal
 * @param hostOsVersion the Windows host OS version {@code info} reports (image compatibility later)
 * @param hnsHostNetns the named netns that is the HNS host, null for the daemon's own
 */
public record DaemonOptions(
    Path socket,
    Path dataRoot,
    Path execRoot,
    String logLevel,
    String hostOsVersion,
    @Nullable String hnsHostNetns) {

  public static final Path DEFAULT_SOCKET = Path.of("/run/silo/silod.sock");
  public static final Path DEFAULT_DATA_ROOT = Path.of("/var/lib/silo");
  public static final Path DEFAULT_EXEC_ROOT = Path.of("/run/silo");

  /** Windows Server 2022's build, the placeholder until images carry os.version checks. */
  public static final String DEFAULT_HOST_OS_VERSION = "10.0.20348";

  /** The HNS store under the data root. */
  public Path hnsStore() {
    return dataRoot.resolve("hns.db");
  }

  /** Compute systems' state under the exec root. */
  public Path hcsRoot() {
    return execRoot.resolve("hcs");
  }
}
