package dev.silo.runhcs;

import dev.silo.hcs.ContainerState;
import dev.silo.schema.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code runhcs list}: every container under the root, as runc's table, JSON or ids. */
final class ListVerb implements Verb {
  @Override
  public String name() {
    return "list";
  }

  @Override
  public String summary() {
    return "lists containers started by runhcs with the given root";
  }

  @Override
  public String argsUsage() {
    return "";
  }

  @Override
  public String description() {
    return "Lists containers: a table (ID PID STATUS BUNDLE CREATED OWNER), JSON, or ids only.\n\n"
        + "EXAMPLE:\n   runhcs list --format json";
  }

  @Override
  public List<Flag> flags() {
    return List.of(
        Flag.value("table|json", "output format", "format", "f"),
        Flag.bool("display only container ids", "quiet", "q"));
  }

  @Override
  public int run(Runhcs ctx, Arguments args) throws Exception {
    List<ContainerState> all = ctx.service().list();
    if (args.bool("quiet")) {
      all.forEach(s -> ctx.out.println(s.id()));
      return 0;
    }
    String format = args.value("format", "table");
    switch (format) {
      case "json" -> {
        List<Map<String, Object>> docs = new ArrayList<>();
        all.forEach(s -> docs.add(s.toOciJson()));
        ctx.out.println(docs.isEmpty() ? "null" : Json.write(docs));
      }
      case "table" -> printTable(ctx, all);
      default -> throw new RunhcsException("invalid format option");
    }
    return 0;
  }

  private static void printTable(Runhcs ctx, List<ContainerState> all) {
    String fmt = "%-12s %-10s %-10s %-40s %-30s %s%n";
    ctx.out.printf(fmt, "ID", "PID", "STATUS", "BUNDLE", "CREATED", "OWNER");
    for (ContainerState s : all) {
      Object pid = s.toOciJson().get("pid");
      ctx.out.printf(
          fmt,
          s.id(),
          pid,
          s.status().ociName(),
          s.bundle(),
          s.created(),
          s.owner().isEmpty() ? "root" : s.owner());
    }
  }
}
