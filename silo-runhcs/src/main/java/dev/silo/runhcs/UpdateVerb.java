package dev.silo.runhcs;

import dev.silo.schema.json.Json;
import dev.silo.schema.json.JsonObject;
import dev.silo.schema.oci.LinuxResources;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code runhcs update}: changes a running container's resource limits (HcsModifyComputeSystem).
 */
final class UpdateVerb implements Verb {
  @Override
  public String name() {
    return "update";
  }

  @Override
  public String summary() {
    return "update container resource constraints";
  }

  @Override
  public String argsUsage() {
    return "<container-id>";
  }

  @Override
  public String description() {
    return "Applies linux.resources from a file (-r FILE, or - for stdin) or from flags to the cgroup.\n\n"
        + "EXAMPLE:\n   runhcs update --memory 64m --pids-limit 100 c1   |   echo '{\"pids\":{\"limit\":9}}' | runhcs update -r - c1";
  }

  @Override
  public boolean interspersed() {
    return true;
  }

  @Override
  public List<Flag> flags() {
    return List.of(
        Flag.value("FILE", "linux.resources JSON (\"-\" = stdin)", "resources", "r"),
        Flag.value("N", "block IO weight (10-1000)", "blkio-weight"),
        Flag.value("N", "CPU CFS period in usec", "cpu-period"),
        Flag.value("N", "CPU CFS quota in usec", "cpu-quota"),
        Flag.value("N", "CPU shares", "cpu-share"),
        Flag.value("N", "CPU realtime period in usec", "cpu-rt-period"),
        Flag.value("N", "CPU realtime runtime in usec", "cpu-rt-runtime"),
        Flag.value("LIST", "CPUs to use", "cpuset-cpus"),
        Flag.value("LIST", "memory nodes to use", "cpuset-mems"),
        Flag.value("N", "SCHED_IDLE for the cgroup (0/1)", "cpu-idle"),
        Flag.value("N", "CPU burst in usec", "cpu-burst"),
        Flag.value("SIZE", "memory limit (e.g. 64m, -1 = unlimited)", "memory"),
        Flag.value("SIZE", "memory reservation", "memory-reservation"),
        Flag.value("SIZE", "memory + swap limit (-1 = unlimited)", "memory-swap"),
        Flag.value(
            "SIZE", "kernel memory limit (ignored, as by runc on recent kernels)", "kernel-memory"),
        Flag.value("SIZE", "kernel TCP memory limit (ignored)", "kernel-memory-tcp"),
        Flag.value("N", "maximum number of pids (-1 = unlimited)", "pids-limit"),
        Flag.value("SCHEMA", "Intel RDT L3 cache schema (not supported)", "l3-cache-schema"),
        Flag.value("SCHEMA", "Intel RDT memory bandwidth schema (not supported)", "mem-bw-schema"));
  }

  @Override
  public int run(Runhcs ctx, Arguments args) throws Exception {
    String id = args.requireOne(name(), "container id");
    JsonObject doc;
    String file = args.value("resources");
    if (file != null) {
      String text = file.equals("-") ? readStdin() : Files.readString(ctx.resolve(file));
      doc = Json.parseObject(text, "resources");
    } else {
      doc = Json.parseObject(Json.write(fromFlags(args)), "flags");
    }
    ctx.service().update(id, LinuxResources.fromJson(doc));
    return 0;
  }

  private static String readStdin() throws java.io.IOException {
    InputStream in = System.in;
    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
  }

  private static Map<String, Object> fromFlags(Arguments a) throws RunhcsException {
    Map<String, Object> cpu = new LinkedHashMap<>();
    putNumber(cpu, "period", a, "cpu-period");
    putNumber(cpu, "quota", a, "cpu-quota");
    putNumber(cpu, "shares", a, "cpu-share");
    putNumber(cpu, "realtimePeriod", a, "cpu-rt-period");
    putNumber(cpu, "realtimeRuntime", a, "cpu-rt-runtime");
    putNumber(cpu, "idle", a, "cpu-idle");
    putNumber(cpu, "burst", a, "cpu-burst");
    if (a.has("cpuset-cpus")) {
      cpu.put("cpus", a.value("cpuset-cpus", ""));
    }
    if (a.has("cpuset-mems")) {
      cpu.put("mems", a.value("cpuset-mems", ""));
    }
    Map<String, Object> memory = new LinkedHashMap<>();
    putSize(memory, "limit", a, "memory");
    putSize(memory, "reservation", a, "memory-reservation");
    putSize(memory, "swap", a, "memory-swap");
    Map<String, Object> out = new LinkedHashMap<>();
    if (!cpu.isEmpty()) {
      out.put("cpu", cpu);
    }
    if (!memory.isEmpty()) {
      out.put("memory", memory);
    }
    if (a.has("pids-limit")) {
      out.put("pids", Map.of("limit", number(a, "pids-limit")));
    }
    if (a.has("blkio-weight")) {
      out.put("blockIO", Map.of("weight", number(a, "blkio-weight")));
    }
    if (a.has("l3-cache-schema") || a.has("mem-bw-schema")) {
      throw new RunhcsException("Intel RDT is not supported on this host");
    }
    return out;
  }

  private static void putNumber(Map<String, Object> m, String key, Arguments a, String flag)
      throws RunhcsException {
    if (a.has(flag)) {
      m.put(key, number(a, flag));
    }
  }

  private static long number(Arguments a, String flag) throws RunhcsException {
    String v = a.value(flag, "");
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new RunhcsException(
          "invalid value \"" + v + "\" for --" + flag + ": expected an integer");
    }
  }

  private static void putSize(Map<String, Object> m, String key, Arguments a, String flag)
      throws RunhcsException {
    if (a.has(flag)) {
      m.put(key, size(a.value(flag, ""), flag));
    }
  }

  /** Sizes as docker/go-units RAMInBytes reads them: 1024, 64k, 64m, 1g (binary units), -1. */
  static long size(String text, String flag) throws RunhcsException {
    String t = text.trim().toLowerCase(Locale.ROOT);
    if (t.equals("-1")) {
      return -1;
    }
    String digits = t.replaceAll("[a-z]+$", "");
    String unit = t.substring(digits.length()).replaceAll("i?b$", "");
    long mult =
        switch (unit) {
          case "" -> 1;
          case "k" -> 1L << 10;
          case "m" -> 1L << 20;
          case "g" -> 1L << 30;
          case "t" -> 1L << 40;
          default -> -1;
        };
    try {
      if (mult < 0) {
        throw new NumberFormatException();
      }
      return (long) (Double.parseDouble(digits) * mult);
    } catch (NumberFormatException e) {
      throw new RunhcsException(
          "invalid value \"" + text + "\" for --" + flag + ": expected a size like 64m");
    }
  }
}
