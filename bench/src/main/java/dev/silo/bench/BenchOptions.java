package dev.silo.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Command line of {@link RuntimeBench}.
 *
 * @param work scratch directory the caller owns and removes (state roots and logs go below it)
 * @param bundle OCI bundle whose process runs {@code /bin/true}
 * @param runs measured rounds
 * @param warmup unrecorded rounds before the measured ones
 * @param out JSON result file, or null for none
 * @param idPrefix prefix of every container id, so that a caller's trap can find leftovers
 * @param hideCgroup2 names of runtimes to run with cgroup2 hidden; null means "crun-named ones on
 *     hybrid hosts"
 * @param runtimes the runtimes, in round-robin order
 */
public record BenchOptions(
    Path work,
    Path bundle,
    int runs,
    int warmup,
    @Nullable Path out,
    String idPrefix,
    @Nullable Set<String> hideCgroup2,
    List<RuntimeSpec> runtimes) {

  static final String USAGE =
      "usage: RuntimeBench --work DIR --bundle DIR [--runs N] [--warmup N] [--out FILE]"
          + " [--id-prefix P] [--hide-cgroup2 NAME,...] name=/abs/path...";

  /** Checks the values that would otherwise fail late, in the middle of a run. */
  public BenchOptions {
    if (runs < 1 || warmup < 0) {
      throw new IllegalArgumentException("--runs must be >= 1 and --warmup >= 0");
    }
    if (runtimes.isEmpty()) {
      throw new IllegalArgumentException("no runtime given; " + USAGE);
    }
    Set<String> names = new HashSet<>();
    for (RuntimeSpec rt : runtimes) {
      if (!names.add(rt.name())) {
        throw new IllegalArgumentException("duplicate runtime name: " + rt.name());
      }
    }
    runtimes = List.copyOf(runtimes);
    hideCgroup2 = hideCgroup2 == null ? null : Set.copyOf(hideCgroup2);
  }

  /** Parses the arguments; throws IllegalArgumentException with a readable message on any error. */
  public static BenchOptions parse(String[] args) {
    Path work = null;
    Path bundle = null;
    Path out = null;
    int runs = 30;
    int warmup = 3;
    String idPrefix = "sb" + ProcessHandle.current().pid();
    Set<String> hide = null;
    List<RuntimeSpec> runtimes = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      switch (arg) {
        case "--work" -> work = Path.of(value(args, ++i, arg));
        case "--bundle" -> bundle = Path.of(value(args, ++i, arg));
        case "--out" -> out = Path.of(value(args, ++i, arg));
        case "--runs" -> runs = Integer.parseInt(value(args, ++i, arg));
        case "--warmup" -> warmup = Integer.parseInt(value(args, ++i, arg));
        case "--id-prefix" -> idPrefix = value(args, ++i, arg);
        case "--hide-cgroup2" -> hide = Set.of(value(args, ++i, arg).split(",", -1));
        default -> {
          if (arg.startsWith("-")) {
            throw new IllegalArgumentException("unknown option " + arg + "; " + USAGE);
          }
          runtimes.add(RuntimeSpec.parse(arg));
        }
      }
    }
    if (work == null || bundle == null) {
      throw new IllegalArgumentException("--work and --bundle are required; " + USAGE);
    }
    return new BenchOptions(work, bundle, runs, warmup, out, idPrefix, hide, runtimes);
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args[i];
  }

  /** The runtime whose median the ratios divide by: the one named runc, else the first. */
  public RuntimeSpec reference() {
    return runtimes.stream()
        .filter(rt -> rt.name().equals("runc"))
        .findFirst()
        .orElse(runtimes.getFirst());
  }
}
