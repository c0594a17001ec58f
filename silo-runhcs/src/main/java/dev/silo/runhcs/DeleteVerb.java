package dev.silo.runhcs;

import java.util.List;

/** {@code runhcs delete}: removes a stopped container; --force kills a running one first. */
final class DeleteVerb implements Verb {
  @Override
  public String name() {
    return "delete";
  }

  @Override
  public String summary() {
    return "delete any resources held by the container often used with detached container";
  }

  @Override
  public String argsUsage() {
    return "<container-id>";
  }

  @Override
  public String description() {
    return "Removes the container's cgroup and state. A running container needs --force (SIGKILL).\n\n"
        + "EXAMPLE:\n   runhcs delete --force c1";
  }

  @Override
  public List<Flag> flags() {
    return List.of(
        Flag.bool(
            "forcibly delete the container if it is still running (uses SIGKILL)", "force", "f"));
  }

  @Override
  public int run(Runhcs ctx, Arguments args) throws Exception {
    ctx.service().delete(args.requireOne(name(), "container id"), args.bool("force"));
    return 0;
  }
}
