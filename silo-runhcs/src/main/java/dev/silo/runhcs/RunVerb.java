package dev.silo.runhcs;

import dev.silo.hcs.RunningInit;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code runhcs run}: create + start, and unless detached, wait and exit with the container's code.
 */
final class RunVerb implements Verb {
  private static final List<Flag> FLAGS;

  static {
    List<Flag> f = new ArrayList<>(CreateVerb.FLAGS);
    f.add(Flag.bool("detach from the container's process", "detach", "d"));
    f.add(Flag.bool("do not delete the container after it exits", "keep"));
    FLAGS = List.copyOf(f);
  }

  @Override
  public String name() {
    return "run";
  }

  @Override
  public String summary() {
    return "create and run a container";
  }

  @Override
  public String argsUsage() {
    return "<container-id>";
  }

  @Override
  public String description() {
    return "Creates and starts a container. Without --detach, waits for it and exits with its exit code\n"
        + "(128+N when killed by signal N), then deletes it unless --keep.\n\nEXAMPLE:\n"
        + "   runhcs run --bundle /mycontainer c1";
  }

  @Override
  public List<Flag> flags() {
    return FLAGS;
  }

  @Override
  public int run(Runhcs ctx, Arguments args) throws Exception {
    String id = args.requireOne(name(), "container id");
    boolean detach = args.bool("detach");
    RunningInit init = CreateVerb.create(ctx, args, id, !detach);
    try {
      ctx.service().start(id);
      dev.silo.hcs.Timing.mark("start");
    } catch (Exception e) {
      ctx.service().delete(id, true);
      throw e;
    }
    if (detach || init == null) {
      return 0;
    }
    int code = init.waitExit();
    dev.silo.hcs.Timing.mark("wait");
    if (!args.bool("keep")) {
      ctx.service().delete(id, true);
    }
    dev.silo.hcs.Timing.mark("delete");
    return code;
  }
}
