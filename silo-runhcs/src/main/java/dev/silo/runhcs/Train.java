package dev.silo.runhcs;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The AOT training run of tools/dist.sh: drives the CLI's hot verbs (create, start, run, state,
 * exec, kill, delete) in one JVM, so the classes they load land in the AOT cache. Only those: the
 * JDK 25 cache loads every class it holds at every start-up, so what training touches is paid by
 * every call (bench/runhcs-startup.sh); the other verbs load their classes from the jars.
 */
public final class Train {
  private Train() {}

  /**
   * Args: an empty work directory (the caller removes it), then optionally a bundle directory whose
   * config runs short commands; with one (and root), the success paths are trained too: cgroups,
   * silo-init, the fifo, exec, delete. No temp-file API here: its SecureRandom would put the
   * security providers into the cache.
   */
  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args[0]);
    PrintStream sink = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    Path config = args.length == 2 ? Path.of(args[1], "config.json") : null;
    errorPaths(dir, config, sink);
    if (args.length == 2) {
      successPaths(dir.resolve("root-ok").toString(), args[1], dir, sink);
    }
  }

  private static void successPaths(String r, String bundle, Path dir, PrintStream sink) {
    for (int i = 0; i < 3; i++) {
      String id = "train-" + i;
      Main.run(new String[] {"--root", r, "run", "-d", "--bundle", bundle, id}, sink, sink, dir);
      Main.run(new String[] {"--root", r, "state", id}, sink, sink, dir);
      Main.run(new String[] {"--root", r, "exec", id, "true"}, sink, sink, dir);
      Main.run(new String[] {"--root", r, "kill", id, "KILL"}, sink, sink, dir);
      Main.run(new String[] {"--root", r, "delete", "--force", id}, sink, sink, dir);
      String c = "train-c" + i;
      Main.run(new String[] {"--root", r, "create", "--bundle", bundle, c}, sink, sink, dir);
      Main.run(new String[] {"--root", r, "state", c}, sink, sink, dir);
      Main.run(new String[] {"--root", r, "start", c}, sink, sink, dir);
      Main.run(new String[] {"--root", r, "delete", "--force", c}, sink, sink, dir);
      Main.run(
          new String[] {"--root", r, "run", "--bundle", bundle, "train-f" + i}, sink, sink, dir);
    }
  }

  private static void errorPaths(
      Path dir, @org.jspecify.annotations.Nullable Path config, PrintStream sink)
      throws IOException {
    Path root = dir.resolve("root");
    Path bundle = dir.resolve("bundle");
    Files.createDirectories(bundle);
    String r = root.toString();
    String b = bundle.toString();
    for (int i = 0; i < 3; i++) {
      // No rootfs: create parses and checks the whole config, then fails before touching the
      // kernel.
      if (config != null) {
        Files.copy(config, bundle.resolve("config.json"), StandardCopyOption.REPLACE_EXISTING);
      }
      String log = dir.resolve("log.json").toString();
      String pid = dir.resolve("pid").toString();
      Main.run(
          new String[] {
            "--root",
            r,
            "--log",
            log,
            "--log-format",
            "json",
            "create",
            "--bundle",
            b,
            "--pid-file",
            pid,
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
      Main.run(new String[] {"--root", r, "exec", "train", "true"}, sink, sink, dir);
      Main.run(new String[] {"-v"}, sink, sink, dir);
      Files.deleteIfExists(bundle.resolve("config.json"));
    }
  }
}
