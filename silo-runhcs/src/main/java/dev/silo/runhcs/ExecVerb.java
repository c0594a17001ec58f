package dev.silo.runhcs;

import dev.silo.hcs.ExecRequest;
import dev.silo.schema.oci.OciSpecs;
import dev.silo.schema.oci.Process;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** {@code runhcs exec}: HcsCreateProcess — runs a new process inside a running container. */
final class ExecVerb implements Verb {
  @Override
  public String name() {
    return "exec";
  }

  @Override
  public String summary() {
    return "execute new process inside the container";
  }

  @Override
  public String argsUsage() {
    return "<container-id> <command> [command options]  ||  -p process.json <container-id>";
  }

  @Override
  public String description() {
    return "Runs a process in the container's namespaces and cgroup. Without --process, the container's\n"
        + "own process settings are the base and the flags change them.\n\nEXAMPLE:\n"
        + "   runhcs exec -t c1 sh    |    runhcs exec --detach --pid-file p.pid c1 sleep 60";
  }

  /** runc exec fails with 255, so callers can tell its own errors from the process's exit codes. */
  @Override
  public int errorExitCode() {
    return 255;
  }

  @Override
  public List<Flag> flags() {
    return List.of(
        Flag.value("FILE", "path to the process.json", "process", "p"),
        Flag.bool("detach from the container's process", "detach", "d"),
        Flag.value("FILE", "file to write the process id to", "pid-file"),
        Flag.bool("allocate a pseudo-TTY", "tty", "t"),
        Flag.value("PATH", "AF_UNIX socket that receives the pty master", "console-socket"),
        Flag.value("PATH", "pidfd socket (not supported yet)", "pidfd-socket"),
        Flag.value("DIR", "current working directory in the container", "cwd"),
        Flag.value("K=V", "set environment variables", "env", "e"),
        Flag.value("UID[:GID]", "user and group ids", "user", "u"),
        Flag.value("GID", "additional gids", "additional-gids", "g"),
        Flag.value("CAP", "add a capability to the bounding set of the process", "cap", "c"),
        Flag.bool("set the no new privileges value for the process", "no-new-privs"),
        Flag.value("N", "pass N additional file descriptors to the process", "preserve-fds"),
        Flag.bool("allow exec in a paused container", "ignore-paused"),
        Flag.value("[CTRL:]PATH", "run in a sub-cgroup of the container's cgroup", "cgroup"),
        Flag.value("PROFILE", "apparmor profile (ignored: no AppArmor here)", "apparmor"),
        Flag.value("LABEL", "SELinux label (ignored: no SELinux here)", "process-label"));
  }

  @Override
  public int run(Runhcs ctx, Arguments args) throws Exception {
    String id = args.requireFirst(name(), "container id");
    Process p =
        args.has("process")
            ? OciSpecs.readProcess(ctx.resolve(args.value("process", "")))
            : fromFlags(ctx, id, args);
    boolean detach = args.bool("detach");
    String console = args.value("console-socket");
    if (p.terminal() && detach && console == null) {
      throw new RunhcsException(
          "cannot allocate tty if runc will detach without setting console socket");
    }
    if (console != null && !(p.terminal() && detach)) {
      throw new RunhcsException(
          "cannot use console socket if runc will not detach or allocate tty");
    }
    String pidFile = args.value("pid-file");
    ExecRequest req =
        new ExecRequest(
            p,
            console == null ? null : ctx.resolve(console).toString(),
            pidFile == null ? null : ctx.resolve(pidFile),
            Integer.parseInt(args.value("preserve-fds", "0")),
            detach,
            args.bool("ignore-paused"),
            args.all("cgroup"));
    int r = ctx.service().exec(id, req);
    return detach ? 0 : r;
  }

  private static Process fromFlags(Runhcs ctx, String id, Arguments args) throws Exception {
    List<String> command = args.positionals().subList(1, args.positionals().size());
    if (command.isEmpty()) {
      throw new UsageException("exec: a command to run is required (or --process)");
    }
    Process base = ctx.service().spec(id).process();
    if (base == null) {
      throw new RunhcsException("container " + id + " has no process in its config");
    }
    List<String> env = new ArrayList<>(base.env());
    env.addAll(args.all("env"));
    Process.User user = base.user();
    String u = args.value("user");
    if (u != null) {
      String[] parts = u.split(":", 2);
      try {
        long uid = Long.parseLong(parts[0]);
        long gid = parts.length > 1 ? Long.parseLong(parts[1]) : 0;
        user = new Process.User(uid, gid, user.umask(), user.additionalGids(), null);
      } catch (NumberFormatException e) {
        throw new RunhcsException("invalid --user \"" + u + "\": expected UID[:GID]");
      }
    }
    if (args.has("additional-gids")) {
      List<Long> gids = new ArrayList<>();
      for (String g : args.all("additional-gids")) {
        for (String one : g.split(",")) {
          gids.add(Long.parseLong(one.trim()));
        }
      }
      user = new Process.User(user.uid(), user.gid(), user.umask(), gids, user.username());
    }
    Process.Capabilities caps = withCaps(base.capabilities(), args.all("cap"));
    return new Process(
        args.bool("tty"),
        base.consoleSize(),
        user,
        List.copyOf(command),
        null,
        env,
        args.value("cwd", base.cwd()),
        caps,
        base.rlimits(),
        base.noNewPrivileges() || args.bool("no-new-privs"),
        base.apparmorProfile(),
        null,
        base.scheduler(),
        base.selinuxLabel(),
        base.ioPriority());
  }

  private static Process.@Nullable Capabilities withCaps(
      Process.@Nullable Capabilities c, List<String> add) {
    if (add.isEmpty()) {
      return c;
    }
    Process.Capabilities base =
        c == null
            ? new Process.Capabilities(List.of(), List.of(), List.of(), List.of(), List.of())
            : c;
    return new Process.Capabilities(
        plus(base.bounding(), add),
        plus(base.effective(), add),
        plus(base.inheritable(), add),
        plus(base.permitted(), add),
        plus(base.ambient(), add));
  }

  private static List<String> plus(List<String> a, List<String> b) {
    List<String> out = new ArrayList<>(a);
    for (String s : b) {
      if (!out.contains(s)) {
        out.add(s);
      }
    }
    return out;
  }
}
