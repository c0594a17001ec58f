package dev.silo.daemon.docker;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.silo.api.HcsException;
import dev.silo.daemon.http.ApiException;
import dev.silo.daemon.http.ApiRequest;
import dev.silo.daemon.http.ApiResponse;
import dev.silo.daemon.http.Router;
import dev.silo.hcs.ComputeService;
import dev.silo.linux.cgroup.CgroupStats;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * {@code GET /containers/{id}/stats}: dockerd's Linux stats document from the container's cgroup
 * (cpu_stats with the host's system_cpu_usage so the CLI can compute CPU %, memory_stats,
 * pids_stats, blkio_stats), once ({@code stream=false}, with the previous reading a second earlier,
 * or none with {@code one-shot}) or every second.
 */
public final class ContainerStats {
  private static final long INTERVAL_MS = 1000;

  private final ContainerStore store;
  private final ContainerRuntime runtime;
  private final ComputeService compute;

  public ContainerStats(ContainerStore store, ContainerRuntime runtime, ComputeService compute) {
    this.store = store;
    this.runtime = runtime;
    this.compute = compute;
  }

  public void register(Router r) {
    r.add("GET", "/containers/{id}/stats", this::stats);
  }

  private record Sample(Instant at, @Nullable CgroupStats stats, long systemNs) {}

  private ApiResponse stats(ApiRequest req) throws ApiException {
    ContainerRecord c = store.find(req.var("id"));
    String s = req.param("stream");
    boolean stream = s == null || s.isEmpty() || req.flag("stream");
    boolean oneShot = req.flag("one-shot");
    return new ApiResponse.Stream(
        200,
        Map.of(),
        "application/json",
        sink -> {
          Sample prev = oneShot ? new Sample(Instant.EPOCH, null, 0) : sample(c);
          do {
            if (!oneShot) {
              Thread.sleep(INTERVAL_MS); // the CLI's CPU % is over this interval
            }
            Sample now = sample(c);
            sink.send((document(c, now, prev) + "\n").getBytes(StandardCharsets.UTF_8));
            prev = now;
          } while (stream && sink.isOpen() && runtime.state(c).running());
        });
  }

  private Sample sample(ContainerRecord c) {
    CgroupStats st = null;
    if (runtime.state(c).running()) {
      try {
        st = compute.stats(c.id());
      } catch (HcsException e) {
        // stopped meanwhile: zeros, as dockerd answers for a stopped container
      }
    }
    return new Sample(Instant.now(), st, systemNs());
  }

  /** The host's CPU time (/proc/stat's cpu line) in nanoseconds, as dockerd reads it. */
  static long systemNs() {
    try {
      String line = Files.readAllLines(Path.of("/proc/stat")).get(0);
      long ticks = 0;
      String[] f = line.trim().split("\\s+");
      for (int i = 1; i < Math.min(f.length, 8); i++) {
        ticks += Long.parseLong(f[i]);
      }
      return ticks * (TimeUnit.SECONDS.toNanos(1) / 100); // USER_HZ 100; no overflow for years
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  private static ObjectNode document(ContainerRecord c, Sample now, Sample prev) {
    ObjectNode o = Json.object();
    o.put("read", now.at().toString());
    o.put("preread", prev.at().toString());
    o.put("name", c.name());
    o.put("id", c.id());
    CgroupStats st = now.stats();
    o.putObject("pids_stats")
        .put("current", st == null ? 0 : st.pids().current())
        .put("limit", st == null || st.pids().limit() < 0 ? 0 : st.pids().limit());
    var blk = o.putObject("blkio_stats").putArray("io_service_bytes_recursive");
    if (st != null) {
      blk.addObject()
          .put("major", 0)
          .put("minor", 0)
          .put("op", "read")
          .put("value", st.blkio().readBytes());
      blk.addObject()
          .put("major", 0)
          .put("minor", 0)
          .put("op", "write")
          .put("value", st.blkio().writeBytes());
    }
    cpu(o.putObject("cpu_stats"), now);
    cpu(o.putObject("precpu_stats"), prev);
    ObjectNode mem = o.putObject("memory_stats");
    if (st != null) {
      long limit = st.memory().limit() < 0 ? hostMemory() : st.memory().limit();
      mem.put("usage", st.memory().usage())
          .put("max_usage", st.memory().maxUsage())
          .put("limit", limit);
      mem.putObject("stats")
          .put("cache", st.memory().cache())
          .put("rss", st.memory().rss())
          .put("inactive_file", 0)
          .put("total_inactive_file", 0);
    }
    return o;
  }

  private static void cpu(ObjectNode cpu, Sample s) {
    CgroupStats st = s.stats();
    cpu.putObject("cpu_usage")
        .put("total_usage", st == null ? 0 : st.cpu().usageTotalNs())
        .put("usage_in_kernelmode", st == null ? 0 : st.cpu().usageKernelNs())
        .put("usage_in_usermode", st == null ? 0 : st.cpu().usageUserNs());
    cpu.put("system_cpu_usage", s.systemNs());
    cpu.put("online_cpus", Runtime.getRuntime().availableProcessors());
    cpu.putObject("throttling_data")
        .put("periods", 0)
        .put("throttled_periods", 0)
        .put("throttled_time", 0);
  }

  private static long hostMemory() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemTotal:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      // below
    }
    return 0;
  }
}
