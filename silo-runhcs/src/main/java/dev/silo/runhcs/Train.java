package dev.silo.runhcs;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The AOT training run of tools/dist.sh for one verb's cache: runs the given runhcs command lines
 * in one JVM, a few rounds each. The JDK 25 cache loads every class it holds at every start-up, so
 * each verb gets its own cache trained with that verb alone (the launcher picks the cache by the
 * verb): what training touches is paid by every call (bench/runhcs-startup.sh). dist.sh creates and
 * removes the containers a verb needs around the training, in other JVMs, for the same reason.
 */
public final class Train {
  private Train() {}

  /**
   * Args: the number of rounds, then command lines separated by a lone {@code ";"}; {@code {i}} in
   * an argument becomes the round's index (so each round can use its own container id).
   */
  public static void main(String[] args) {
    int rounds = Integer.parseInt(args[0]);
    List<List<String>> commands = new ArrayList<>();
    List<String> current = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      if (args[i].equals(";")) {
        commands.add(current);
        current = new ArrayList<>();
      } else {
        current.add(args[i]);
      }
    }
    commands.add(current);
    PrintStream sink = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    Path cwd = Path.of("").toAbsolutePath();
    for (int round = 0; round < rounds; round++) {
      String index = Integer.toString(round);
      for (List<String> command : commands) {
        String[] argv = new String[command.size()];
        for (int j = 0; j < argv.length; j++) {
          argv[j] = command.get(j).replace("{i}", index);
        }
        Main.run(argv, sink, sink, cwd);
      }
    }
  }
}
