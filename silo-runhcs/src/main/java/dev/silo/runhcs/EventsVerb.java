package dev.silo.runhcs;

import dev.silo.api.HResult;
import dev.silo.api.HcsException;
import dev.silo.linux.cgroup.CgroupStats;
import dev.silo.schema.json.Json;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code runhcs events}: resource statistics of a container, once ({@code --stats}) or every
 * interval.
 */
final class EventsVerb implements Verb {
  @Override
  public String name() {
    return "events";
  }

  @Override
  public String summary() {
    return "display container events such as OOM notifications, cpu, memory, and IO usage statistics";
  }

  @Override
  public String argsUsage() {
    return "<container-id>";
  }

  @Override
  public String description() {
    return "Prints {\"type\":\"stats\",\"id\":…,\"data\":{cpu,memory,pids,blkio}} lines until the container stops.\n\n"
        + "EXAMPLE:\n   runhcs events --stats c1   |   runhcs events --interval 1s c1";
  }

  @Override
  public List<Flag> flags() {
    return List.of(
        Flag.value("DURATION", "interval between stats lines (default 5s)", "interval"),
        Flag.bool("print the statistics once and exit", "stats"));
  }

  @Override
  public int run(Runhcs ctx, Arguments args) throws Exception {
    String id = args.requireOne(name(), "container id");
    Duration interval = parseDuration(args.value("interval", "5s"));
    if (args.bool("stats")) {
      ctx.out.println(Json.write(event(id, ctx.service().stats(id))));
      return 0;
    }
    // Stats every interval; OOM kills are looked for every 100 ms so that they are reported
    // promptly.
    long ooms = ctx.service().oomKills(id);
    long nextStats = 0;
    while (true) {
      try {
        long now = System.nanoTime();
        if (now >= nextStats) {
          ctx.out.println(Json.write(event(id, ctx.service().stats(id))));
          nextStats = now + interval.toNanos();
        }
        long seen = ctx.service().oomKills(id);
        if (seen > ooms && ooms >= 0) {
          Map<String, Object> oom = new LinkedHashMap<>();
          oom.put("type", "oom");
          oom.put("id", id);
          ctx.out.println(Json.write(oom));
        }
        ooms = seen;
        ctx.out.flush();
      } catch (HcsException e) {
        if (e.hresult() == HResult.HCS_E_SYSTEM_ALREADY_STOPPED
            || e.hresult() == HResult.HCS_E_SYSTEM_NOT_FOUND) {
          return 0;
        }
        throw e;
      }
      Thread.sleep(Math.min(100, interval.toMillis()));
    }
  }

  static Map<String, Object> event(String id, CgroupStats s) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put(
        "cpu",
        Map.of(
            "usage",
            Map.of(
                "total",
                s.cpu().usageTotalNs(),
                "kernel",
                s.cpu().usageKernelNs(),
                "user",
                s.cpu().usageUserNs())));
    data.put(
        "memory",
        Map.of(
            "usage",
            Map.of(
                "usage",
                s.memory().usage(),
                "max",
                s.memory().maxUsage(),
                "limit",
                s.memory().limit()),
            "cache",
            s.memory().cache()));
    data.put("pids", Map.of("current", s.pids().current(), "limit", s.pids().limit()));
    data.put(
        "blkio",
        Map.of(
            "readBytes",
            s.blkio().readBytes(),
            "writeBytes",
            s.blkio().writeBytes(),
            "readOps",
            s.blkio().readOps(),
            "writeOps",
            s.blkio().writeOps()));
    Map<String, Object> ev = new LinkedHashMap<>();
    ev.put("type", "stats");
    ev.put("id", id);
    ev.put("data", data);
    return ev;
  }

  /** Go-style durations as runc takes them: {@code 5s}, {@code 500ms}, {@code 1m}. */
  static Duration parseDuration(String text) throws RunhcsException {
    try {
      if (text.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
      }
      long n = Long.parseLong(text.substring(0, text.length() - 1));
      Duration d =
          switch (text.charAt(text.length() - 1)) {
            case 's' -> Duration.ofSeconds(n);
            case 'm' -> Duration.ofMinutes(n);
            case 'h' -> Duration.ofHours(n);
            default -> throw new NumberFormatException();
          };
      if (d.isZero() || d.isNegative()) {
        throw new NumberFormatException();
      }
      return d;
    } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
      throw new RunhcsException(
          "invalid --interval \"" + text + "\": expected a duration like 5s or 500ms");
    }
  }
}
