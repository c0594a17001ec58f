package dev.silo.runhcs;

import java.util.List;
import org.jspecify.annotations.Nullable;

/** The registry of runhcs commands, in the order help lists them. */
final class Verbs {
  static final List<Verb> ALL =
      List.of(
          new CreateVerb(),
          new DeleteVerb(),
          new EventsVerb(),
          new ExecVerb(),
          new FeaturesVerb(),
          new KillVerb(),
          new ListVerb(),
          new PauseVerb(),
          new PsVerb(),
          new ResumeVerb(),
          new RunVerb(),
          new SpecVerb(),
          new StartVerb(),
          new StateVerb(),
          new UpdateVerb());

  private Verbs() {}

  static @Nullable Verb find(String name) {
    for (Verb v : ALL) {
      if (v.name().equals(name)) {
        return v;
      }
    }
    return null;
  }
}
