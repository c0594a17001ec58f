package dev.silo.bench;

import java.util.Arrays;
import java.util.List;

/**
 * Order statistics of one series of samples, in milliseconds.
 *
 * @param count number of samples
 * @param min smallest sample
 * @param median middle sample (mean of the two middle ones for an even count)
 * @param p90 90th percentile by the nearest-rank method
 * @param max largest sample
 */
public record Stats(int count, double min, double median, double p90, double max) {

  /** Computes the statistics; the list must not be empty. */
  public static Stats of(List<Double> samples) {
    if (samples.isEmpty()) {
      throw new IllegalArgumentException("no samples");
    }
    double[] sorted = samples.stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(sorted);
    int n = sorted.length;
    double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    // Nearest rank: the smallest sample with at least 90 % of the samples at or below it.
    int rank = (int) Math.ceil(0.9 * n);
    return new Stats(n, sorted[0], median, sorted[rank - 1], sorted[n - 1]);
  }
}
