package dev.silo.bench.jmh;

import dev.silo.bench.Stats;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Where the in-process life cycle's time goes: runs {@link InProcessCycle} N times after W warm-up
 * runs and prints min/median/p90/max per phase, like the whole-process harness' table. Usage:
 * {@code LifecyclePhases [N [W]]} with the same system properties as {@link
 * InProcessLifecycleBench}.
 */
public final class LifecyclePhases {

  private LifecyclePhases() {}

  /** Entry point; exits non-zero (via the exception) when a cycle fails. */
  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 100;
    int phases = InProcessCycle.PHASES.size();
    List<List<Double>> samples = new ArrayList<>();
    for (int i = 0; i <= phases; i++) {
      samples.add(new ArrayList<>());
    }
    long[] marks = new long[phases + 1];
    try (InProcessCycle cycle =
        InProcessCycle.open(
            InProcessLifecycleBench.bundleProperty(), InProcessLifecycleBench.idPrefixProperty())) {
      for (int r = 0; r < warmup + runs; r++) {
        cycle.run(marks);
        if (r >= warmup) {
          for (int p = 0; p < phases; p++) {
            samples.get(p).add((marks[p + 1] - marks[p]) / 1e6);
          }
          samples.get(phases).add((marks[phases] - marks[0]) / 1e6);
        }
      }
    }
    System.out.printf("in-process phases, %d runs after %d warm-up, ms%n", runs, warmup);
    System.out.printf("%-10s %8s %8s %8s %8s%n", "phase", "min", "median", "p90", "max");
    for (int p = 0; p <= phases; p++) {
      Stats s = Stats.of(samples.get(p));
      String name = p < phases ? InProcessCycle.PHASES.get(p) : "cycle";
      System.out.println(
          String.format(
              Locale.ROOT,
              "%-10s %8.2f %8.2f %8.2f %8.2f",
              name,
              s.min(),
              s.median(),
              s.p90(),
              s.max()));
    }
  }
}
