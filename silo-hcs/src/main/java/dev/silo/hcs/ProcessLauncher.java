package dev.silo.hcs;

import dev.silo.api.HResult;
import dev.silo.api.HcsException;
import dev.silo.hcs.internal.PlanCompiler;
import dev.silo.hcs.internal.PlanException;
import dev.silo.hcs.internal.StoredContainer;
import dev.silo.init.InitException;
import dev.silo.init.InitProcess;
import dev.silo.init.SiloInit;
import dev.silo.linux.process.ErrnoException;
import dev.silo.linux.process.Pidfd;
import dev.silo.schema.hcs.ProcessParameters;
import dev.silo.schema.hcs.ProcessStatus;
import dev.silo.schema.oci.OciSpecs;
import dev.silo.schema.oci.Process;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * HcsCreateProcess over the exec plan: ProcessParameters become an OCI process (the system's own
 * process as the template), silo-init joins the system with the process's pipes or pty as stdio and
 * stays its parent, so the exit code is known.
 */
final class ProcessLauncher {
  private static final Duration CONSOLE_WAIT = Duration.ofSeconds(10);

  private final ComputeService service;
  private final String id;

  ProcessLauncher(ComputeService service, String id) {
    this.service = service;
    this.id = id;
  }

  LocalComputeProcess launch(ProcessParameters p, Consumer<ProcessStatus> onExit)
      throws HcsException {
    StoredContainer c = service.store().load("create process", id);
    Process process = toProcess(p, c.initPid());
    ProcessIo io;
    try {
      io =
          ProcessIo.open(
              process.terminal(),
              Boolean.TRUE.equals(p.createStdInPipe()),
              Boolean.TRUE.equals(p.createStdOutPipe()),
              Boolean.TRUE.equals(p.createStdErrPipe()));
    } catch (IOException e) {
      throw new HcsException("create process", id, HResult.E_FAIL, "stdio: " + e.getMessage(), e);
    }
    try {
      ExecRequest req =
          new ExecRequest(process, io.consoleSocket(), null, 0, false, false, List.of());
      InitProcess helper =
          SiloInit.locate()
              .start(
                  PlanCompiler.compileExec(Executor.prepare(service, id, req, c)), io.childFds());
      io.childStarted();
      return started(helper, io, onExit);
    } catch (PlanException e) {
      io.close();
      throw new HcsException(
          "create process", id, HResult.E_INVALIDARG, String.valueOf(e.getMessage()), e);
    } catch (InitException e) {
      io.close();
      throw new HcsException(
          "create process", id, HResult.E_FAIL, String.valueOf(e.getMessage()), e);
    } catch (HcsException | RuntimeException e) {
      io.close();
      throw e;
    }
  }

  private LocalComputeProcess started(
      InitProcess helper, ProcessIo io, Consumer<ProcessStatus> onExit)
      throws InitException, HcsException {
    int pid = -1;
    try {
      pid = helper.awaitPid();
      Pidfd pidfd = pidfdOf(pid);
      helper.awaitReady();
      io.receiveConsole(CONSOLE_WAIT);
      return LocalComputeProcess.started(id, pid, pidfd, helper, io, onExit);
    } catch (IOException | InitException e) {
      if (pid > 0) {
        SiloInit.kill(pid, Signals.SIGKILL);
      }
      helper.waitHelper();
      helper.close();
      if (e instanceof InitException ie) {
        throw ie;
      }
      throw new HcsException(
          "create process", id, HResult.E_FAIL, String.valueOf(e.getMessage()), e);
    }
  }

  /**
   * The process's pidfd; none when it has already run to its end and been reaped by its silo-init
   * parent (a short command can finish before the PID message is read).
   */
  private static @Nullable Pidfd pidfdOf(int pid) throws ErrnoException {
    try {
      return Pidfd.open(pid);
    } catch (ErrnoException e) {
      if (e.errno() == 3) { // ESRCH
        return null;
      }
      throw e;
    }
  }

  /** The system's own process with this call's argv, environment, directory, user and console. */
  Process toProcess(ProcessParameters p, int initPid) throws HcsException {
    Process base = service.spec(id).process();
    if (base == null) {
      base = Objects.requireNonNull(OciSpecs.defaultSpec().process());
    }
    Map<String, String> env = new LinkedHashMap<>();
    for (String e : base.env()) {
      int eq = e.indexOf('=');
      env.put(eq < 0 ? e : e.substring(0, eq), eq < 0 ? "" : e.substring(eq + 1));
    }
    env.putAll(p.environment());
    List<String> envList = new ArrayList<>();
    env.forEach((k, v) -> envList.add(k + "=" + v));
    List<Integer> size = p.consoleSize();
    String cwd = p.workingDirectory();
    return new Process(
        Boolean.TRUE.equals(p.emulateConsole()),
        size.size() == 2 ? new Process.ConsoleSize(size.get(0), size.get(1)) : null,
        user(p.user(), base.user(), initPid),
        argv(p),
        null,
        envList,
        cwd == null || cwd.isEmpty() ? base.cwd() : cwd,
        base.capabilities(),
        base.rlimits(),
        base.noNewPrivileges(),
        base.apparmorProfile(),
        base.oomScoreAdj(),
        null,
        base.selinuxLabel(),
        null);
  }

  /** CommandArgs as they are; else CommandLine split without a shell; else ApplicationName. */
  private List<String> argv(ProcessParameters p) throws HcsException {
    if (!p.commandArgs().isEmpty()) {
      return p.commandArgs();
    }
    String line = p.commandLine();
    List<String> args = line == null ? List.of() : CommandLines.split(line);
    if (args.isEmpty() && p.applicationName() != null && !p.applicationName().isBlank()) {
      args = List.of(p.applicationName());
    }
    if (args.isEmpty()) {
      throw new HcsException(
          "create process",
          id,
          HResult.E_INVALIDARG,
          "ProcessParameters: one of CommandArgs, CommandLine or ApplicationName is needed");
    }
    return args;
  }

  /**
   * User: empty keeps the system's user; {@code uid[:gid]} numerically; a name from the container's
   * /etc/passwd (read through the init's root, so the container's mounts count).
   */
  private Process.User user(@Nullable String name, Process.User base, int initPid)
      throws HcsException {
    if (name == null || name.isEmpty()) {
      return base;
    }
    String[] parts = name.split(":", 2);
    if (parts[0].chars().allMatch(Character::isDigit)) {
      long uid = Long.parseLong(parts[0]);
      long gid = parts.length > 1 ? Long.parseLong(parts[1]) : uid;
      return new Process.User(uid, gid, base.umask(), List.of(), null);
    }
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + initPid + "/root/etc/passwd"))) {
        String[] f = line.split(":");
        if (f.length > 3 && f[0].equals(parts[0])) {
          return new Process.User(
              Long.parseLong(f[2]), Long.parseLong(f[3]), base.umask(), List.of(), f[0]);
        }
      }
    } catch (IOException | NumberFormatException e) {
      // Reported below as an unknown user.
    }
    throw new HcsException(
        "create process", id, HResult.E_INVALIDARG, "User: no user " + name + " in the container");
  }
}
