package dev.silo.bench;

import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;
import org.jspecify.annotations.Nullable;

/**
 * Renders {@link Results} as the human table and as the JSON document kept under bench/results/.
 */
final class Report {

  private Report() {}

  /**
   * The table: min / median / p90 / max ms per runtime and scenario, and the median's ratio to the
   * reference.
   */
  static String table(Results results) {
    String ref = results.reference().spec.name();
    StringBuilder sb = new StringBuilder();
    sb.append(row("runtime", "scenario", "min", "median", "p90", "max", "x " + ref));
    for (Results.PerRuntime r : results.runtimes.values()) {
      for (String scenario : Results.SCENARIOS) {
        Stats s = r.stats(scenario);
        sb.append(
            row(
                r.spec.name(),
                scenario,
                ms(s.min()),
                ms(s.median()),
                ms(s.p90()),
                ms(s.max()),
                ratio(results.ratio(r, scenario))));
      }
    }
    Stats floor = Stats.of(results.floor);
    sb.append(
        row(
            "(floor)",
            "/bin/true",
            ms(floor.min()),
            ms(floor.median()),
            ms(floor.p90()),
            ms(floor.max()),
            ""));
    sb.append('\n')
        .append(
            String.format(Locale.ROOT, "%-10s %12s %8s%n", "runtime", "peak RSS MB", "x " + ref));
    long refRss = results.reference().peakRssKb;
    for (Results.PerRuntime r : results.runtimes.values()) {
      sb.append(
          String.format(
              Locale.ROOT,
              "%-10s %12.1f %8s%n",
              r.spec.name(),
              r.peakRssKb / 1024.0,
              ratio(refRss > 0 ? (double) r.peakRssKb / refRss : null)));
    }
    return sb.toString();
  }

  private static String row(String... cells) {
    return String.format(Locale.ROOT, "%-10s %-10s %8s %8s %8s %8s %8s%n", (Object[]) cells);
  }

  private static String ms(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }

  private static String ratio(@Nullable Double v) {
    return v == null ? "-" : String.format(Locale.ROOT, "%.2f", v);
  }

  /** The host object of the JSON document. */
  static String host(String kernel, String loadBefore, String loadAfter) {
    return "{\"kernel\": "
        + quote(kernel)
        + ", \"cpus\": "
        + Runtime.getRuntime().availableProcessors()
        + ", \"loadavgBefore\": "
        + quote(loadBefore)
        + ", \"loadavgAfter\": "
        + quote(loadAfter)
        + "}";
  }

  /**
   * The JSON document: date, host, settings, and per runtime the statistics, ratios and raw
   * samples.
   */
  static String json(Results results, String date, String host) {
    BenchOptions o = results.options;
    StringJoiner runtimes = new StringJoiner(",\n    ", "[\n    ", "\n  ]");
    long refRss = results.reference().peakRssKb;
    for (Results.PerRuntime r : results.runtimes.values()) {
      StringJoiner scenarios = new StringJoiner(",\n        ", "{\n        ", "\n      }");
      for (String scenario : Results.SCENARIOS) {
        scenarios.add(
            quote(scenario)
                + ": "
                + stats(r.stats(scenario), results.ratio(r, scenario), r.samples.get(scenario)));
      }
      runtimes.add(
          "{\n      \"name\": "
              + quote(r.spec.name())
              + ",\n      \"path\": "
              + quote(r.spec.path().toString())
              + ",\n      \"version\": "
              + quote(r.version)
              + ",\n      \"hideCgroup2\": "
              + r.hideCgroup2
              + ",\n      \"peakRssKb\": "
              + r.peakRssKb
              + ",\n      \"peakRssRatio\": "
              + num(refRss > 0 ? (double) r.peakRssKb / refRss : null)
              + ",\n      \"scenarios\": "
              + scenarios
              + "\n    }");
    }
    return "{\n  \"date\": "
        + quote(date)
        + ",\n  \"host\": "
        + host
        + ",\n  \"runs\": "
        + o.runs()
        + ",\n  \"warmup\": "
        + o.warmup()
        + ",\n  \"unit\": \"ms\""
        + ",\n  \"reference\": "
        + quote(results.reference().spec.name())
        + ",\n  \"floor\": "
        + stats(Stats.of(results.floor), null, results.floor)
        + ",\n  \"runtimes\": "
        + runtimes
        + "\n}\n";
  }

  private static String stats(Stats s, @Nullable Double ratio, @Nullable List<Double> samples) {
    StringJoiner raw = new StringJoiner(", ", "[", "]");
    if (samples != null) {
      samples.forEach(v -> raw.add(num(v)));
    }
    return "{\"n\": "
        + s.count()
        + ", \"min\": "
        + num(s.min())
        + ", \"median\": "
        + num(s.median())
        + ", \"p90\": "
        + num(s.p90())
        + ", \"max\": "
        + num(s.max())
        + ", \"ratio\": "
        + num(ratio)
        + ", \"samples\": "
        + raw
        + "}";
  }

  private static String num(@Nullable Double v) {
    return v == null || v.isNaN() || v.isInfinite()
        ? "null"
        : String.format(Locale.ROOT, "%.3f", v);
  }

  static String quote(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.append('"').toString();
  }
}
