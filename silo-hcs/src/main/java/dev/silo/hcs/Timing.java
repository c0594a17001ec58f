package dev.silo.hcs;

/**
 * Phase timings of one CLI call, printed to stderr when the environment has {@code SILO_TIMING=1}:
 * each {@link #mark} prints the nanoseconds since the previous mark (or since this class was
 * initialised, at the start of main), so that the cost of every step of {@code runhcs run} can be
 * read off one call.
 */
public final class Timing {
  private static final boolean ON = "1".equals(System.getenv("SILO_TIMING"));
  private static long last = System.nanoTime();

  private Timing() {}

  /** Ends the phase named {@code phase}; a no-op unless SILO_TIMING=1. */
  public static void mark(String phase) {
    if (!ON) {
      return;
    }
    long now = System.nanoTime();
    StringBuilder b = new StringBuilder(48);
    b.append("silo-timing ").append(phase).append(' ').append((now - last) / 1000).append(" us");
    System.err.println(b);
    last = System.nanoTime();
  }
}
