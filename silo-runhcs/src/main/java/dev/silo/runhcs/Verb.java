package dev.silo.runhcs;

import java.util.List;

/**
 * One runhcs command (create, start, run, …); one class per verb, as runc has one file per command.
 */
interface Verb {
  String name();

  /** One line for the command list. */
  String summary();

  /** Arguments after the flags, e.g. {@code <container-id>}. */
  String argsUsage();

  /** Longer description, ending with an example. */
  String description();

  List<Flag> flags();

  /** Whether flags may follow positional arguments (runc's update). */
  default boolean interspersed() {
    return false;
  }

  /** The exit code of a failed call (runc: 1, but 255 for exec). */
  default int errorExitCode() {
    return 1;
  }

  /** Runs the command; the return value is the process exit code. */
  int run(Runhcs ctx, Arguments args) throws Exception;
}
