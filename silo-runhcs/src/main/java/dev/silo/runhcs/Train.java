package dev.silo.runhcs;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The AOT training run of tools/dist.sh: drives the CLI's hot verbs through their parse, validate
 * and error paths in one JVM, so the classes they load land in the AOT cache. Touches no kernel
 * state.
 */
public final class Train {
  private Train() {}

  /**
   * Args: optionally a bundle directory whose config runs {@code /bin/true}-like short commands;
   * with one (and root), the success paths are trained too: cgroups, silo-init, the fifo, exec,
   * pause, delete.
   */
  public static void main(String[] args) throws IOException {
    Path dir = Files.createTempDirectory("runhcs-train");
    PrintStream sink = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    try {
      errorPaths(dir, sink);
      if (args.length == 1) {
        successPaths(dir.resolve("root-ok").toString(), args[0], dir, sink);
      }
    } finally {
      removeTree(dir);
    }
  }

  private static void removeTree(Path dir) throws IOException {
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private static void successPaths(String r, String bundle, Path dir, PrintStream sink) {
    for (int i = 0; i < 3; i++) {
      String id = "train-" + i;
      Main.run(new String[] {"--root", r, "run", "-d", "--bundle", bundle, id}, sink, sink, dir);
      Main.run(new String[] {"--root", r, "state", id}, sink, sink, dir);
      Main.run(new String[] {"--root", r, "exec", id, "true"}, sink, sink, dir);
      Main.run(new String[] {"--root", r, "ps", "--format", "json", id}, sink, sink, dir);
      Main.run(new String[] {"--root", r, "pause", id}, sink, sink, dir);
      Main.run(new String[] {"--root", r, "resume", id}, sink, sink, dir);
      Main.run(new String[] {"--root", r, "events", "--stats", id}, sink, sink, dir);
      Main.run(new String[] {"--root", r, "list"}, sink, sink, dir);
      Main.run(new String[] {"--root", r, "kill", id, "KILL"}, sink, sink, dir);
      Main.run(new String[] {"--root", r, "delete", "--force", id}, sink, sink, dir);
      String c = "train-c" + i;
      Main.run(new String[] {"--root", r, "create", "--bundle", bundle, c}, sink, sink, dir);
      Main.run(new String[] {"--root", r, "start", c}, sink, sink, dir);
      Main.run(new String[] {"--root", r, "delete", "--force", c}, sink, sink, dir);
      Main.run(
          new String[] {"--root", r, "run", "--bundle", bundle, "train-f" + i}, sink, sink, dir);
    }
  }

  private static void errorPaths(Path dir, PrintStream sink) throws IOException {
    Path root = dir.resolve("root");
    Path bundle = dir.resolve("bundle");
    Files.createDirectories(bundle);
    String r = root.toString();
    String b = bundle.toString();
    for (int i = 0; i < 3; i++) {
      Main.run(new String[] {"--root", r, "spec", "--bundle", b}, sink, sink, dir);
      // No rootfs: create parses and checks the whole config, then fails before touching the
      // kernel.
      Main.run(
          new String[] {
            "--root",
            r,
            "--log",
            dir.resolve("log.json").toString(),
            "--log-format",
            "json",
            "create",
            "--bundle",
            b,
            "--pid-file",
            dir.resolve("pid").toString(),
            "train"
          },
          sink,
          sink,
          dir);
      Main.run(new String[] {"--root", r, "run", "-d", "--bundle", b, "train"}, sink, sink, dir);
      Main.run(new String[] {"--root", r, "state", "train"}, sink, sink, dir);
      Main.run(new String[] {"--root", r, "start", "train"}, sink, sink, dir);
      Main.run(new String[] {"--root", r, "kill", "train", "KILL"}, sink, sink, dir);
      Main.run(new String[] {"--root", r, "delete", "--force", "train"}, sink, sink, dir);
      Main.run(new String[] {"--root", r, "list", "--format", "json"}, sink, sink, dir);
      Main.run(new String[] {"--root", r, "exec", "train", "true"}, sink, sink, dir);
      Main.run(new String[] {"--help"}, sink, sink, dir);
      Main.run(new String[] {"-v"}, sink, sink, dir);
      Files.deleteIfExists(bundle.resolve("config.json"));
    }
  }
}
