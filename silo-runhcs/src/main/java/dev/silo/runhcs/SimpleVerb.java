package dev.silo.runhcs;

import java.util.List;

/** Base of the verbs that take only a container id and no flags (pause, resume). */
abstract class SimpleVerb implements Verb {
  @Override
  public String argsUsage() {
    return "<container-id>";
  }

  @Override
  public List<Flag> flags() {
    return List.of();
  }

  @Override
  public int run(Runhcs ctx, Arguments args) throws Exception {
    apply(ctx, args.requireOne(name(), "container id"));
    return 0;
  }

  abstract void apply(Runhcs ctx, String id) throws Exception;
}
