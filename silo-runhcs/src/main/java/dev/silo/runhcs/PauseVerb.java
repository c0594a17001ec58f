package dev.silo.runhcs;

/** {@code runhcs pause}: HcsPauseComputeSystem — freezes every process of the container. */
final class PauseVerb extends SimpleVerb {
  @Override
  public String name() {
    return "pause";
  }

  @Override
  public String summary() {
    return "pause suspends all processes inside the container";
  }

  @Override
  public String description() {
    return "Freezes the container's cgroup.\n\nEXAMPLE:\n   runhcs pause c1";
  }

  @Override
  void apply(Runhcs ctx, String id) throws Exception {
    ctx.service().pause(id);
  }
}
