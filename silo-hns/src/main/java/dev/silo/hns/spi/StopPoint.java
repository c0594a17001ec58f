package dev.silo.hns.spi;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Crash injection for the crash-safety tests: the service passes a numbered stop point after every
 * kernel step that has an undo and around every commit. With {@code -Dsilo.hns.stopAt=N} the
 * process announces the N-th point on stderr ({@code silo-hns: stopped at N: WHAT}) and blocks
 * there until it is killed, so a test can {@code kill -9} it at exactly that step and check that a
 * fresh start reconciles what was left. Without the property a point costs one comparison.
 */
public final class StopPoint {
  private static final int STOP_AT = Integer.getInteger("silo.hns.stopAt", 0);
  private static final AtomicInteger PASSED = new AtomicInteger();

  private StopPoint() {}

  /** Passes a stop point described by {@code what}; blocks forever if it is the chosen one. */
  public static void pass(String what) {
    if (STOP_AT <= 0) {
      return;
    }
    int n = PASSED.incrementAndGet();
    if (n != STOP_AT) {
      return;
    }
    PrintStream err = new PrintStream(System.err, true, StandardCharsets.UTF_8);
    err.println("silo-hns: stopped at " + n + ": " + what);
    Object never = new Object();
    synchronized (never) {
      while (true) {
        try {
          never.wait();
        } catch (InterruptedException e) {
          // keep blocking: only SIGKILL ends this process
        }
      }
    }
  }
}
