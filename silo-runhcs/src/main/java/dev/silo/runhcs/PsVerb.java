package dev.silo.runhcs;

import dev.silo.schema.json.Json;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code runhcs ps}: the container's processes — host pids as JSON, or the host's {@code ps} output
 * (default {@code -ef}) filtered to them, as runc does.
 */
final class PsVerb implements Verb {
  @Override
  public String name() {
    return "ps";
  }

  @Override
  public String summary() {
    return "ps displays the processes running inside a container";
  }

  @Override
  public String argsUsage() {
    return "<container-id> [ps options]";
  }

  @Override
  public String description() {
    return "Lists the container's processes.\n\nEXAMPLE:\n   runhcs ps --format json c1   |   runhcs ps c1 -e -x";
  }

  @Override
  public List<Flag> flags() {
    return List.of(Flag.value("table|json", "output format", "format", "f"));
  }

  @Override
  public int run(Runhcs ctx, Arguments args) throws Exception {
    String id = args.requireFirst(name(), "container id");
    List<Integer> pids = ctx.service().pids(id);
    String format = args.value("format", "table");
    if (format.equals("json")) {
      ctx.out.println(Json.write(pids));
      return 0;
    }
    if (!format.equals("table")) {
      throw new RunhcsException("invalid format option");
    }
    List<String> psArgs = new ArrayList<>(args.positionals().subList(1, args.positionals().size()));
    if (psArgs.isEmpty()) {
      psArgs.add("-ef");
    }
    printFiltered(ctx, psArgs, pids);
    return 0;
  }

  private static void printFiltered(Runhcs ctx, List<String> psArgs, List<Integer> pids)
      throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add("/bin/ps");
    cmd.addAll(psArgs);
    java.lang.Process ps = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    List<String> lines = new ArrayList<>();
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(ps.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        lines.add(line);
      }
    }
    if (ps.waitFor() != 0 || lines.isEmpty()) {
      throw new RunhcsException(
          "ps " + String.join(" ", psArgs) + " failed: " + String.join(" ", lines));
    }
    String header = lines.getFirst();
    int pidCol = List.of(header.trim().split("\\s+")).indexOf("PID");
    if (pidCol < 0) {
      throw new RunhcsException("couldn't find PID field in ps output");
    }
    ctx.out.println(header);
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.trim().split("\\s+");
      if (f.length > pidCol
          && f[pidCol].matches("[0-9]+")
          && pids.contains(Integer.parseInt(f[pidCol]))) {
        ctx.out.println(line);
      }
    }
  }
}
