package dev.silo.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The samples collected by one benchmark run, per runtime and scenario, plus the process floor and
 * peak RSS.
 */
final class Results {

  /** Scenarios in report order; "cycle" is create+start+wait+state+delete end to end. */
  static final List<String> SCENARIOS =
      List.of("run", "cycle", "create", "start", "wait", "state", "delete");

  /** One runtime's measurements. */
  static final class PerRuntime {
    final RuntimeSpec spec;
    final String version;
    final boolean hideCgroup2;
    final Map<String, List<Double>> samples = new LinkedHashMap<>();
    long peakRssKb = -1;

    PerRuntime(RuntimeSpec spec, String version, boolean hideCgroup2) {
      this.spec = spec;
      this.version = version;
      this.hideCgroup2 = hideCgroup2;
      SCENARIOS.forEach(s -> samples.put(s, new ArrayList<>()));
    }

    void add(String scenario, double millis) {
      List<Double> series = samples.get(scenario);
      if (series == null) {
        throw new IllegalArgumentException("unknown scenario " + scenario);
      }
      series.add(millis);
    }

    Stats stats(String scenario) {
      return Stats.of(samples.getOrDefault(scenario, List.of()));
    }
  }

  final BenchOptions options;
  final Map<String, PerRuntime> runtimes = new LinkedHashMap<>();
  final List<Double> floor = new ArrayList<>();

  Results(BenchOptions options) {
    this.options = options;
  }

  PerRuntime add(RuntimeSpec spec, String version, boolean hideCgroup2) {
    PerRuntime r = new PerRuntime(spec, version, hideCgroup2);
    runtimes.put(spec.name(), r);
    return r;
  }

  PerRuntime get(String name) {
    PerRuntime r = runtimes.get(name);
    if (r == null) {
      throw new IllegalStateException("no results for runtime " + name);
    }
    return r;
  }

  PerRuntime reference() {
    return get(options.reference().name());
  }

  /**
   * Median of this runtime divided by the reference runtime's median, or null if the reference's is
   * zero.
   */
  @Nullable Double ratio(PerRuntime r, String scenario) {
    double ref = reference().stats(scenario).median();
    return ref > 0 ? r.stats(scenario).median() / ref : null;
  }
}
