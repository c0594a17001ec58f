package dev.silo.diag;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.silo.api.HcsException;
import dev.silo.hcs.ComputeService;
import dev.silo.hcs.ContainerState;
import dev.silo.hcs.ExecRequest;
import dev.silo.hcs.Signals;
import dev.silo.schema.hcs.Properties;
import dev.silo.schema.oci.Process;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code hcsdiag}: Silo's counterpart of Windows' hcsdiag — lists compute systems with their state,
 * owner, pid and isolation, shows one system's HCS properties, runs a process in one, or kills one.
 */
@Command(
    name = "hcsdiag",
    mixinStandardHelpOptions = true,
    version = "hcsdiag 0.1.0",
    description = "Shows and acts on Silo compute systems (runhcs's state root, or --root).",
    footer = {"", "Example:", "  hcsdiag list --json", "  hcsdiag exec c1 ps"},
    subcommands = {
      HcsDiag.ListCmd.class,
      HcsDiag.StatCmd.class,
      HcsDiag.ExecCmd.class,
      HcsDiag.KillCmd.class
    })
public final class HcsDiag {
  static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .setSerializationInclusion(JsonInclude.Include.NON_EMPTY);

  private HcsDiag() {}

  public static void main(String[] args) {
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  static int run(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cl = new CommandLine(new HcsDiag());
    // "hcsdiag exec c1 sh -c 'exit 4'": everything after the id belongs to the command.
    java.util.Objects.requireNonNull(cl.getSubcommands().get("exec")).setStopAtPositional(true);
    cl.setOut(out);
    cl.setErr(err);
    cl.setExecutionExceptionHandler(
        (e, line, parsed) -> {
          String m = e instanceof HcsException h ? h.getMessage() : String.valueOf(e.getMessage());
          line.getErr().println("hcsdiag: " + m);
          return 1;
        });
    return cl.execute(args);
  }

  /** Options every subcommand shares. */
  static class Common {
    @Option(
        names = "--root",
        description = "runhcs state root (default: ${DEFAULT-VALUE})",
        defaultValue = "/run/runhcs")
    Path root = Path.of("/run/runhcs");

    @Option(names = "--json", description = "print JSON")
    boolean json;

    @SuppressWarnings("NullAway.Init") // injected by picocli before call()
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    ComputeService service() throws HcsException {
      return ComputeService.open(root.toAbsolutePath());
    }

    PrintWriter out() {
      return spec.commandLine().getOut();
    }
  }

  @Command(
      name = "list",
      description = "List compute systems with state, owner, pid and isolation.",
      footer = {"", "Example:", "  hcsdiag list --root /run/runhcs --json"})
  static final class ListCmd extends Common implements Callable<Integer> {
    @Override
    public Integer call() throws Exception {
      List<ContainerState> all = service().list();
      if (json) {
        List<Map<String, Object>> docs = new ArrayList<>();
        for (ContainerState s : all) {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("Id", s.id());
          m.put("SystemType", "Container");
          m.put("State", s.status().hcsState());
          m.put("Owner", s.owner());
          m.put("Pid", s.toOciJson().get("pid"));
          m.put("Isolation", s.isolation());
          m.put("Created", s.created());
          m.put("Bundle", s.bundle());
          docs.add(m);
        }
        out().println(JSON.writeValueAsString(docs));
        return 0;
      }
      String fmt = "%-20s %-10s %-10s %-8s %-10s %s%n";
      out().printf(fmt, "ID", "STATE", "OWNER", "PID", "ISOLATION", "CREATED");
      for (ContainerState s : all) {
        out()
            .printf(
                fmt,
                s.id(),
                s.status().hcsState(),
                s.owner(),
                s.toOciJson().get("pid"),
                s.isolation(),
                s.created());
      }
      return 0;
    }
  }

  @Command(
      name = "stat",
      description = "Show one compute system's HCS properties: state, statistics, processes.",
      footer = {"", "Example:", "  hcsdiag stat c1 --json"})
  static final class StatCmd extends Common implements Callable<Integer> {
    @Parameters(index = "0", description = "compute system id")
    String id = "";

    @Override
    public Integer call() throws Exception {
      Properties p = service().properties(id);
      if (json) {
        out().println(JSON.writeValueAsString(p));
        return 0;
      }
      out()
          .printf(
              "Id:          %s%nState:       %s%nOwner:       %s%nProcesses:   %d%n",
              p.id(), p.state(), p.owner(), p.processList().size());
      if (p.statistics() != null
          && p.statistics().processor() != null
          && p.statistics().memory() != null) {
        out()
            .printf(
                "CPU (100ns): %d%nMemory (B):  %d%n",
                p.statistics().processor().totalRuntime100ns(),
                p.statistics().memory().memoryUsageCommitBytes());
      }
      p.processList().forEach(d -> out().printf("  %8d %s%n", d.processId(), d.imageName()));
      return 0;
    }
  }

  @Command(
      name = "exec",
      description = "Run a command in a compute system and wait for it.",
      footer = {"", "Example:", "  hcsdiag exec c1 cat /etc/hostname"})
  static final class ExecCmd extends Common implements Callable<Integer> {
    @Parameters(index = "0", description = "compute system id")
    String id = "";

    @Parameters(index = "1..*", arity = "1..*", description = "command and arguments")
    List<String> command = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
      ComputeService s = service();
      Process base = s.spec(id).process();
      if (base == null) {
        throw new IllegalStateException(id + " has no process settings to start from");
      }
      // After the id everything is the command; a "--" separator, as users often type, is dropped.
      List<String> argv = command;
      if (!argv.isEmpty() && argv.getFirst().equals("--")) {
        argv = argv.subList(1, argv.size());
      }
      Process p =
          new Process(
              false,
              null,
              base.user(),
              List.copyOf(argv),
              null,
              base.env(),
              base.cwd(),
              base.capabilities(),
              base.rlimits(),
              base.noNewPrivileges(),
              null,
              null,
              null,
              null,
              null);
      int code = s.exec(id, new ExecRequest(p, null, null, 0, false, false, List.of()));
      if (json) {
        out().println(JSON.writeValueAsString(Map.of("Id", id, "ExitCode", code)));
      }
      return code;
    }
  }

  @Command(
      name = "kill",
      description = "Signal a compute system's init (default: Terminate = SIGKILL).",
      footer = {"", "Example:", "  hcsdiag kill c1 --signal TERM"})
  static final class KillCmd extends Common implements Callable<Integer> {
    @Parameters(index = "0", description = "compute system id")
    String id = "";

    @Option(
        names = "--signal",
        description = "signal name or number (default: ${DEFAULT-VALUE})",
        defaultValue = "KILL")
    String signal = "KILL";

    @Override
    public Integer call() throws Exception {
      OptionalInt n = Signals.parse(signal);
      if (n.isEmpty()) {
        throw new IllegalArgumentException("unknown signal \"" + signal + "\"");
      }
      service().signal(id, n.getAsInt(), true);
      if (json) {
        out()
            .println(
                JSON.writeValueAsString(Map.of("Id", id, "Signal", Signals.hcsName(n.getAsInt()))));
      }
      return 0;
    }
  }
}
