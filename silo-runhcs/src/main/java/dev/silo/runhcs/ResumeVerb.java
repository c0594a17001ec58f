package dev.silo.runhcs;

/** {@code runhcs resume}: HcsResumeComputeSystem — thaws a paused container. */
final class ResumeVerb extends SimpleVerb {
  @Override
  public String name() {
    return "resume";
  }

  @Override
  public String summary() {
    return "resumes all processes that have been previously paused";
  }

  @Override
  public String description() {
    return "Thaws the container's cgroup.\n\nEXAMPLE:\n   runhcs resume c1";
  }

  @Override
  void apply(Runhcs ctx, String id) throws Exception {
    ctx.service().resume(id);
  }
}
