package dev.silo.hcs;

import dev.silo.schema.hcs.ProcessParameters;
import java.util.List;
import java.util.Map;

/** ProcessParameters for the tests. */
final class HcsProcesses {
  private HcsProcesses() {}

  static ProcessParameters args(String... argv) {
    return params(List.of(argv), false, false, false, false, List.of());
  }

  static ProcessParameters params(
      List<String> argv,
      boolean stdin,
      boolean stdout,
      boolean stderr,
      boolean console,
      List<Integer> size) {
    return new ProcessParameters(
        null, null, argv, null, null, Map.of(), null, console, stdin, stdout, stderr, size, null);
  }
}
