package dev.silo.hcs;

import dev.silo.hcs.internal.ProcStat;
import dev.silo.linux.cgroup.CgroupStats;
import dev.silo.schema.hcs.MemoryStats;
import dev.silo.schema.hcs.OsType;
import dev.silo.schema.hcs.ProcessDetails;
import dev.silo.schema.hcs.ProcessorStats;
import dev.silo.schema.hcs.Properties;
import dev.silo.schema.hcs.State;
import dev.silo.schema.hcs.Statistics;
import dev.silo.schema.hcs.StorageStats;
import dev.silo.schema.hcs.SystemType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Builds HCS {@code Properties} (State, Statistics, ProcessList) for a compute system from its
 * state, its cgroup and /proc, as hcsshim computes them from the silo's job object on Windows.
 */
final class PropertiesReader {
  /** USER_HZ ticks (1/100 s) to 100 ns units. */
  private static final long TICKS_TO_100NS = 100_000L;

  private PropertiesReader() {}

  static Properties read(ContainerState s, @Nullable CgroupStats stats, List<Integer> pids) {
    Statistics statistics = stats == null ? null : statistics(s, stats);
    List<ProcessDetails> processes = new ArrayList<>();
    for (int pid : pids) {
      ProcStat st = ProcStat.read(pid);
      if (st != null) {
        processes.add(
            new ProcessDetails(
                pid,
                imageName(pid),
                null,
                st.utime() * TICKS_TO_100NS,
                st.stime() * TICKS_TO_100NS,
                null,
                null,
                null));
      }
    }
    return new Properties(
        s.id(),
        SystemType.CONTAINER,
        OsType.LINUX,
        s.id(),
        s.owner(),
        null,
        state(s.status()),
        s.status() == Status.STOPPED,
        null,
        statistics,
        processes,
        null,
        null,
        null);
  }

  private static Statistics statistics(ContainerState s, CgroupStats c) {
    Instant now = Instant.now();
    long uptime = 0;
    try {
      uptime =
          Math.max(0, (now.toEpochMilli() - Instant.parse(s.created()).toEpochMilli()) * 10_000);
    } catch (RuntimeException e) {
      // An unreadable creation time leaves the uptime at zero.
    }
    return new Statistics(
        now.toString(),
        s.created(),
        uptime,
        new ProcessorStats(
            c.cpu().usageTotalNs() / 100,
            c.cpu().usageUserNs() / 100,
            c.cpu().usageKernelNs() / 100),
        new MemoryStats(c.memory().usage(), c.memory().maxUsage(), c.memory().rss()),
        new StorageStats(
            c.blkio().readOps(),
            c.blkio().readBytes(),
            c.blkio().writeOps(),
            c.blkio().writeBytes()));
  }

  private static State state(Status s) {
    return switch (s) {
      case CREATING, CREATED -> State.CREATED;
      case RUNNING -> State.RUNNING;
      case PAUSED -> State.PAUSED;
      case STOPPED -> State.STOPPED;
    };
  }

  private static String imageName(int pid) {
    try {
      return Files.readAllLines(Path.of("/proc/" + pid + "/comm")).getFirst();
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }
}
