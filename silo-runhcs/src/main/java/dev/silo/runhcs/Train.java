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

  public static void main(String[] args) throws IOException {
    Path dir = Files.createTempDirectory("runhcs-train");
    Path root = dir.resolve("root");
    Path bundle = dir.resolve("bundle");
    Files.createDirectories(bundle);
    PrintStream sink = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
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
