package dev.silo.runhcs;

import dev.silo.schema.json.Json;
import java.util.List;

/**
 * {@code runhcs state}: the OCI state document of one container, 2-space indented as runc prints
 * it.
 */
final class StateVerb implements Verb {
  @Override
  public String name() {
    return "state";
  }

  @Override
  public String summary() {
    return "output the state of a container";
  }

  @Override
  public String argsUsage() {
    return "<container-id>";
  }

  @Override
  public String description() {
    return "Prints the OCI state (id, pid, status, bundle, rootfs, created, owner) as JSON.\n\n"
        + "EXAMPLE:\n   runhcs state c1";
  }

  @Override
  public List<Flag> flags() {
    return List.of();
  }

  @Override
  public int run(Runhcs ctx, Arguments args) throws Exception {
    String id = args.requireOne(name(), "container id");
    ctx.out.println(Json.writePretty(ctx.service().state(id).toOciJson(), 2));
    return 0;
  }
}
