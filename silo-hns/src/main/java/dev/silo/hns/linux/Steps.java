package dev.silo.hns.linux;

import dev.silo.hns.spi.DataplaneException;
import dev.silo.hns.spi.StopPoint;
import dev.silo.hns.spi.Undo;
import java.util.ArrayList;
import java.util.List;

/**
 * The undos of one dataplane call's kernel steps: the call either completes and hands back one
 * {@link Undo} of them all, or fails and reverses what it already did before reporting.
 */
final class Steps {
  private final List<Undo> done = new ArrayList<>();
  private final String what;

  private Steps(String what) {
    this.what = what;
  }

  /** A call body that records the undo of each kernel step it makes. */
  @FunctionalInterface
  interface Body {
    void run(Steps steps) throws DataplaneException;
  }

  /** Records the undo of a step that succeeded (a crash-injection point follows each). */
  void add(Undo undo) {
    done.add(undo);
    StopPoint.pass("kernel step " + done.size() + " of " + what);
  }

  /**
   * Runs {@code body}; on failure undoes its finished steps and throws a {@link DataplaneException}
   * naming {@code what}; on success returns the undo of all its steps.
   */
  static Undo run(String what, Body body) throws DataplaneException {
    Steps steps = new Steps(what);
    try {
      body.run(steps);
    } catch (DataplaneException | RuntimeException e) {
      steps.rollbackQuietly(e);
      throw e instanceof DataplaneException d
          ? d
          : new DataplaneException(what + ": " + e.getMessage(), e);
    }
    return steps.undo();
  }

  /** Runs a kernel action that has no undo, mapping kernel failures to a DataplaneException. */
  static void check(String what, Body body) throws DataplaneException {
    try {
      body.run(new Steps(what));
    } catch (RuntimeException e) {
      throw new DataplaneException(what + ": " + e.getMessage(), e);
    }
  }

  private Undo undo() {
    List<Undo> copy = List.copyOf(done);
    if (copy.isEmpty()) {
      return Undo.NONE;
    }
    return () -> {
      DataplaneException first = null;
      for (int i = copy.size() - 1; i >= 0; i--) {
        try {
          copy.get(i).run();
        } catch (DataplaneException | RuntimeException e) {
          // keep undoing the rest: a half-undone call is worse than one reported failure
          if (first == null) {
            first = new DataplaneException("undo: " + e.getMessage(), e);
          }
        }
      }
      if (first != null) {
        throw first;
      }
    };
  }

  private void rollbackQuietly(Exception cause) {
    try {
      undo().run();
    } catch (DataplaneException | RuntimeException e) {
      cause.addSuppressed(e);
    }
  }
}
