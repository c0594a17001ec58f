package dev.silo.runhcs;

import dev.silo.hcs.Signals;
import java.util.List;
import java.util.OptionalInt;

/** {@code runhcs kill}: signals the init (or every process with --all); default SIGTERM. */
final class KillVerb implements Verb {
  @Override
  public String name() {
    return "kill";
  }

  @Override
  public String summary() {
    return "kill sends the specified signal (default: SIGTERM) to the container's init process";
  }

  @Override
  public String argsUsage() {
    return "<container-id> [signal]";
  }

  @Override
  public String description() {
    return "Signals by number (9) or name (KILL, SIGKILL).\n\nEXAMPLE:\n   runhcs kill c1 KILL";
  }

  @Override
  public List<Flag> flags() {
    return List.of(Flag.bool("send the signal to all processes in the container", "all", "a"));
  }

  @Override
  public int run(Runhcs ctx, Arguments args) throws Exception {
    List<String> pos = args.positionals();
    if (pos.isEmpty() || pos.size() > 2) {
      throw new UsageException("\"kill\" requires a minimum of 1 and a maximum of 2 arguments");
    }
    String sig = pos.size() == 2 ? pos.get(1) : "SIGTERM";
    OptionalInt n = Signals.parse(sig);
    if (n.isEmpty()) {
      throw new RunhcsException("unknown signal \"" + sig + "\"");
    }
    ctx.service().signal(pos.getFirst(), n.getAsInt(), args.bool("all"));
    return 0;
  }
}
