package dev.silo.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Measures runc-compatible runtimes side by side: interleaved rounds of {@code run /bin/true} and
 * of create → start → wait → state → delete, then min / median / p90 / max and each median's ratio
 * to runc.
 *
 * <p>Run it through {@code bench/run-runtimes.sh}, which installs packages, builds the bundle and
 * owns the cleanup trap; see docs/benchmarks.md.
 */
public final class RuntimeBench {

  private RuntimeBench() {}

  /** Entry point; exit status 2 on bad arguments, 1 when a runtime command fails. */
  public static void main(String[] args) throws InterruptedException {
    BenchOptions options;
    try {
      options = BenchOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("bench: " + e.getMessage());
      System.exit(2);
      return;
    }
    try {
      String loadBefore = loadAverage();
      Results results = measure(options);
      String host = Report.host(kernel(), loadBefore, loadAverage());
      System.out.print(Report.table(results));
      System.out.println("load average before / after: " + loadBefore + " / " + loadAverage());
      Path out = options.out();
      if (out != null) {
        Path dir = out.toAbsolutePath().getParent();
        if (dir != null) {
          Files.createDirectories(dir);
        }
        Files.writeString(
            out, Report.json(results, Instant.now().toString(), host), StandardCharsets.UTF_8);
        System.out.println("\nJSON: " + out);
      }
    } catch (IOException | BenchException e) {
      System.err.println("bench: " + e.getMessage());
      System.exit(1);
    }
  }

  /**
   * Starts one worker per runtime, runs warm-up and measured rounds, and always stops the workers.
   */
  static Results measure(BenchOptions o) throws IOException, InterruptedException {
    boolean hybrid = isHybridCgroupHost();
    Results results = new Results(o);
    List<WorkerClient> workers = new ArrayList<>();
    try {
      for (RuntimeSpec rt : o.runtimes()) {
        if (!Files.isExecutable(rt.path())) {
          throw new BenchException(rt.name() + ": not an executable file: " + rt.path());
        }
        boolean hide = hidesCgroup2(o, rt, hybrid);
        WorkerClient worker = WorkerClient.start(rt, o.work(), o.bundle(), hide);
        workers.add(worker);
        results.add(rt, worker.version(), hide);
        System.err.printf(
            "bench: %s = %s (%s)%s%n",
            rt.name(), rt.path(), worker.version(), hide ? ", cgroup2 hidden" : "");
      }
      for (int round = 0; round < o.warmup() + o.runs(); round++) {
        round(o, workers, results, round);
      }
      for (WorkerClient w : workers) {
        double kb = w.call("rss " + id(o, w, 0, "m")).getOrDefault("rssKb", -1.0);
        results.get(w.runtime().name()).peakRssKb = (long) kb;
      }
    } finally {
      closeAll(workers);
    }
    return results;
  }

  // One round: A B C for run, then A B C for the cycle; warm-up rounds are measured but not kept.
  private static void round(BenchOptions o, List<WorkerClient> workers, Results results, int round)
      throws IOException {
    boolean keep = round >= o.warmup();
    double floor = workers.getFirst().call("floor").getOrDefault("floor", 0.0);
    if (keep) {
      results.floor.add(floor);
    }
    for (WorkerClient w : workers) {
      Map<String, Double> run = w.call("run " + id(o, w, round, "r"));
      if (keep) {
        results.get(w.runtime().name()).add("run", run.getOrDefault("run", 0.0));
      }
    }
    for (WorkerClient w : workers) {
      Map<String, Double> cycle = w.call("cycle " + id(o, w, round, "c"));
      if (keep) {
        Results.PerRuntime r = results.get(w.runtime().name());
        cycle.forEach((phase, ms) -> r.add(phase.equals("total") ? "cycle" : phase, ms));
      }
    }
    System.err.printf(
        "bench: round %d/%d%s%n", round + 1, o.warmup() + o.runs(), keep ? "" : " (warm-up)");
  }

  private static String id(BenchOptions o, WorkerClient w, int round, String kind) {
    return o.idPrefix() + "-" + w.runtime().name() + "-" + round + kind;
  }

  private static void closeAll(List<WorkerClient> workers) throws InterruptedException {
    for (WorkerClient w : workers) {
      try {
        w.close();
      } catch (IOException e) {
        System.err.println(
            "bench: stopping the " + w.runtime().name() + " worker: " + e.getMessage());
      }
    }
  }

  static boolean hidesCgroup2(BenchOptions o, RuntimeSpec rt, boolean hybrid) {
    if (o.hideCgroup2() != null) {
      return o.hideCgroup2().contains(rt.name());
    }
    return hybrid && (rt.name().equals("crun") || rt.binaryName().equals("crun"));
  }

  // Hybrid = cgroup v1 controllers plus cgroup2 mounted at /sys/fs/cgroup/unified (systemd's
  // layout).
  private static boolean isHybridCgroupHost() throws IOException {
    return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
        .anyMatch(l -> l.contains(" /sys/fs/cgroup/unified ") && l.contains(" - cgroup2 "));
  }

  // Other jobs share the 2 CPUs; the load average tells a reader how noisy the run was.
  private static String loadAverage() throws IOException {
    String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
    return f[0] + " " + f[1] + " " + f[2];
  }

  private static String kernel() throws IOException {
    return Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip();
  }
}
