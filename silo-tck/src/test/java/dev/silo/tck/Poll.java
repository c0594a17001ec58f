package dev.silo.tck;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Bounded polling of a condition: tests wait for the kernel this way, never with a bare sleep. */
final class Poll {
  static final Duration DEFAULT = Duration.ofSeconds(15);
  private static final long STEP_NANOS = Duration.ofMillis(20).toNanos();

  private Poll() {}

  /**
   * Waits until {@code condition} holds or fails after {@link #DEFAULT}, describing {@code what}.
   */
  static void until(String what, BooleanSupplier condition) {
    until(what, DEFAULT, condition, () -> "");
  }

  /**
   * Waits until {@code condition} holds; on timeout fails with {@code what} and {@code detail}'s
   * value.
   */
  static void until(
      String what, Duration timeout, BooleanSupplier condition, Supplier<String> detail) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError(
            "timed out after " + timeout + " waiting for " + what + " " + detail.get());
      }
      LockSupport.parkNanos(STEP_NANOS);
    }
  }
}
