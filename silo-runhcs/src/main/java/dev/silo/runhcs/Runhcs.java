package dev.silo.runhcs;

import dev.silo.api.HcsException;
import dev.silo.hcs.ComputeService;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/** What every verb shares: the global flags, the output streams and the compute service. */
final class Runhcs {
  final Path root;
  final RunLog log;
  final PrintStream out;
  final PrintStream err;
  final Path cwd;
  private @Nullable ComputeService service;

  Runhcs(Path root, RunLog log, PrintStream out, PrintStream err, Path cwd) {
    this.root = root;
    this.log = log;
    this.out = out;
    this.err = err;
    this.cwd = cwd;
  }

  ComputeService service() throws HcsException {
    ComputeService s = service;
    if (s == null) {
      s = ComputeService.open(root);
      s.setLog(new LogSink(log, false), new LogSink(log, true));
      service = s;
    }
    return s;
  }

  /** Resolves a path given on the command line against the caller's working directory. */
  Path resolve(String path) {
    return cwd.resolve(path).normalize();
  }

  /** RunLog as a Consumer: a class, not a method reference, to keep lambdas off the CLI path. */
  private static final class LogSink implements Consumer<String> {
    private final RunLog log;
    private final boolean warn;

    LogSink(RunLog log, boolean warn) {
      this.log = log;
      this.warn = warn;
    }

    @Override
    public void accept(String message) {
      if (warn) {
        log.warn(message);
      } else {
        log.debug(message);
      }
    }
  }
}
