package dev.silo.runhcs;

import dev.silo.api.HcsException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * {@code runhcs}: Silo's runc-compatible OCI runtime. Global flags come before the command, as for
 * runc (containerd passes {@code --root … --log … --log-format json}); errors print one line on
 * stderr and exit 1.
 */
public final class Main {
  static final String VERSION = "0.1.0";
  static final String SPEC_VERSION = "1.2.0";
  static final String DEFAULT_ROOT = "/run/runhcs";

  private static final List<Flag> GLOBAL_FLAGS =
      List.of(
          Flag.bool("enable debug logging", "debug"),
          Flag.value("FILE", "write logs to FILE (containerd passes <bundle>/log.json)", "log"),
          Flag.value("text|json", "log format", "log-format"),
          Flag.value(
              "DIR",
              "root directory for container state (default \"" + DEFAULT_ROOT + "\")",
              "root"),
          Flag.bool(
              "use systemd cgroups (not available: Silo hosts run without systemd)",
              "systemd-cgroup"),
          Flag.value("true|false|auto", "rootless mode (ignored: Silo runs as root)", "rootless"),
          Flag.bool("print the version", "version", "v"),
          Flag.bool("show help", "help", "h"));

  private Main() {}

  public static void main(String[] argv) {
    dev.silo.hcs.Timing.mark("main");
    int code = run(argv, System.out, System.err, Path.of("").toAbsolutePath());
    System.out.flush();
    System.err.flush();
    // halt, not exit: there are no shutdown hooks to run, and System.exit's path loads ~60 classes
    // (logging, class-path scans) that cost ~17 ms on every call (docs/benchmarks.md).
    Runtime.getRuntime().halt(code);
  }

  static int run(String[] argv, PrintStream out, PrintStream err, Path cwd) {
    Arguments global;
    try {
      global = Arguments.parse(GLOBAL_FLAGS, Arrays.asList(argv), false);
    } catch (UsageException e) {
      err.println("runhcs: " + e.getMessage());
      return 1;
    }
    if (global.bool("version")) {
      out.println("runhcs version " + VERSION);
      out.println("commit: silo");
      out.println("spec: " + SPEC_VERSION);
      return 0;
    }
    List<String> rest = global.positionals();
    if (rest.isEmpty() || global.bool("help")) {
      Help.printMain(out, Verbs.ALL, GLOBAL_FLAGS);
      return 0;
    }
    String format = global.value("log-format", "text");
    String logFile = global.value("log");
    RunLog log =
        new RunLog(
            logFile == null ? null : cwd.resolve(logFile),
            format.equals("json"),
            global.bool("debug"),
            err);
    Verb verb = Verbs.find(rest.getFirst());
    if (verb == null) {
      return fail(err, log, "No help topic for '" + rest.getFirst() + "'");
    }
    if (!format.equals("text") && !format.equals("json")) {
      return fail(err, log, "invalid log-format: " + format);
    }
    if (global.bool("systemd-cgroup")) {
      return fail(err, log, "systemd cgroup flag passed, but systemd is not running on this host");
    }
    List<String> verbArgs = rest.subList(1, rest.size());
    if (verbArgs.contains("-h") || verbArgs.contains("--help")) {
      if (verbArgs.isEmpty() || isHelpRequest(verbArgs)) {
        Help.printVerb(out, verb);
        return 0;
      }
    }
    Runhcs ctx =
        new Runhcs(
            Path.of(global.value("root", DEFAULT_ROOT)).toAbsolutePath(), log, out, err, cwd);
    log.debug("runhcs " + String.join(" ", argv));
    int failed = verb.errorExitCode();
    try {
      Arguments args = Arguments.parse(verb.flags(), verbArgs, verb.interspersed());
      dev.silo.hcs.Timing.mark("cli-parse");
      return verb.run(ctx, args);
    } catch (UsageException e) {
      return fail(err, log, e.getMessage() + " (see 'runhcs " + verb.name() + " --help')", failed);
    } catch (HcsException e) {
      // runc's wording first (callers match on it), then the HCS error for those who speak HCS.
      String n = e.hresult().name();
      String code = n.startsWith("HCS_E_") || n.startsWith("HCN_E_") ? " (" + n + ")" : "";
      return fail(err, log, e.detail() + code, failed);
    } catch (RunhcsException e) {
      return fail(err, log, e.getMessage(), failed);
    } catch (java.nio.file.NoSuchFileException e) {
      return fail(err, log, e.getFile() + ": no such file or directory", failed);
    } catch (Exception e) {
      return fail(err, log, describe(e), failed);
    }
  }

  private static boolean isHelpRequest(List<String> args) {
    // "exec ID sh -h" passes -h to the process; only flags before the first positional count.
    for (String a : args) {
      if (a.equals("-h") || a.equals("--help")) {
        return true;
      }
      if (!a.startsWith("-")) {
        return false;
      }
    }
    return false;
  }

  static int fail(PrintStream err, RunLog log, @Nullable String message) {
    return fail(err, log, message, 1);
  }

  static int fail(PrintStream err, RunLog log, @Nullable String message, int code) {
    String m = message == null ? "unknown error" : message;
    log.error(m);
    err.println("runhcs: " + m);
    return code;
  }

  private static String describe(Exception e) {
    String m = e.getMessage();
    return m == null ? e.getClass().getSimpleName() : m;
  }
}
