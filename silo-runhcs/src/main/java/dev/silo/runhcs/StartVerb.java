package dev.silo.runhcs;

import java.util.List;

/**
 * {@code runhcs start}: HcsStartComputeSystem — releases a created init into the user's process.
 */
final class StartVerb implements Verb {
  @Override
  public String name() {
    return "start";
  }

  @Override
  public String summary() {
    return "executes the user defined process in a created container";
  }

  @Override
  public String argsUsage() {
    return "<container-id>";
  }

  @Override
  public String description() {
    return "Starts a container created with 'runhcs create'; returns at once.\n\nEXAMPLE:\n   runhcs start c1";
  }

  @Override
  public List<Flag> flags() {
    return List.of();
  }

  @Override
  public int run(Runhcs ctx, Arguments args) throws Exception {
    ctx.service().start(args.requireOne(name(), "container id"));
    return 0;
  }
}
