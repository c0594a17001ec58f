package dev.silo.hns.spi;

/**
 * Reverses one dataplane step; the service runs the undos of a failed call in reverse order so the
 * kernel is left as it was before the call.
 */
@FunctionalInterface
public interface Undo {
  /** Nothing to reverse. */
  Undo NONE = () -> {};

  void run() throws DataplaneException;
}
