package dev.silo.daemon;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sun.misc.Signal;

/**
 * {@code silod}: Silo's daemon, the counterpart of dockerd on a Windows container host — the Docker
 * Engine API and the HCS/HNS REST API on one unix socket. SIGTERM or SIGINT closes the listener and
 * exits 0; compute systems and networks stay as they are.
 */
@Command(
    name = "silod",
    mixinStandardHelpOptions = true,
    version = "silod " + dev.silo.daemon.docker.SystemApi.VERSION,
    description =
        "Serves the Docker Engine API and the HCS/HNS REST API on a unix socket (dockerd's flags).",
    footer = {"", "Example:", "  silod -H unix:///run/silo/silod.sock --data-root /var/lib/silo"})
public final class Silod implements Callable<Integer> {
  @Option(
      names = {"-H", "--host"},
      paramLabel = "unix:///PATH",
      description = "Socket to listen on (default ${DEFAULT-VALUE}).",
      defaultValue = "unix:///run/silo/silod.sock")
  List<String> hosts = List.of();

  @Option(
      names = "--data-root",
      paramLabel = "DIR",
      description = "Persistent state: HNS store, networks, volumes (default ${DEFAULT-VALUE}).",
      defaultValue = "/var/lib/silo")
  Path dataRoot = DaemonOptions.DEFAULT_DATA_ROOT;

  @Option(
      names = "--exec-root",
      paramLabel = "DIR",
      description = "Runtime state: compute systems (default ${DEFAULT-VALUE}).",
      defaultValue = "/run/silo")
  Path execRoot = DaemonOptions.DEFAULT_EXEC_ROOT;

  @Option(
      names = {"-l", "--log-level"},
      paramLabel = "LEVEL",
      description = "debug, info, warn, error, fatal (default ${DEFAULT-VALUE}).",
      defaultValue = "info")
  String logLevel = "info";

  @Option(
      names = "--host-os-version",
      paramLabel = "VERSION",
      description = "Windows host OS version reported by info (default ${DEFAULT-VALUE}).",
      defaultValue = DaemonOptions.DEFAULT_HOST_OS_VERSION)
  String hostOsVersion = DaemonOptions.DEFAULT_HOST_OS_VERSION;

  @Option(
      names = "--hns-host-netns",
      paramLabel = "NAME",
      description =
          "Named netns (/run/netns/NAME) that is the HNS host; default: $SILO_HNS_HOST_NETNS or the"
              + " daemon's own namespace.")
  @Nullable String hnsHostNetns;

  private final PrintStream err;

  Silod(PrintStream err) {
    this.err = err;
  }

  public static void main(String[] args) {
    System.exit(run(args, System.err));
  }

  static int run(String[] args, PrintStream err) {
    CommandLine cl = new CommandLine(new Silod(err));
    cl.setExecutionExceptionHandler(
        (e, line, parsed) -> {
          err.println("silod: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
          return 1;
        });
    return cl.execute(args);
  }

  @Override
  public Integer call() throws Exception {
    DaemonOptions options = options();
    Log log = new Log(options.logLevel(), err);
    CountDownLatch stop = new CountDownLatch(1);
    for (String sig : List.of("TERM", "INT")) {
      Signal.handle(new Signal(sig), s -> stop.countDown());
    }
    Daemon d;
    try {
      d = Daemon.start(options, log);
    } catch (Daemon.StartException e) {
      err.println("silod: " + e.getMessage());
      return 1;
    }
    stop.await();
    log.info("Processing signal: shutting down the API listener");
    d.close();
    log.info("Daemon shutdown complete");
    return 0;
  }

  DaemonOptions options() {
    if (hosts.size() != 1) {
      throw badOption("silod serves exactly one -H socket, got " + hosts.size());
    }
    String h = hosts.get(0);
    if (!h.startsWith("unix://")) {
      throw badOption("invalid -H " + h + ": silod serves unix:// sockets only");
    }
    String path = h.substring("unix://".length());
    if (!path.startsWith("/")) {
      throw badOption("invalid -H " + h + ": the socket path must be absolute");
    }
    new Log(logLevel, err); // validates the level before anything starts
    String netns = hnsHostNetns;
    if (netns == null || netns.isEmpty()) {
      netns = dev.silo.hcs.net.Hns.hostNetns();
    }
    return new DaemonOptions(
        Path.of(path),
        dataRoot.toAbsolutePath(),
        execRoot.toAbsolutePath(),
        logLevel,
        hostOsVersion,
        netns);
  }

  private CommandLine.ParameterException badOption(String message) {
    return new CommandLine.ParameterException(new CommandLine(this), message);
  }
}
