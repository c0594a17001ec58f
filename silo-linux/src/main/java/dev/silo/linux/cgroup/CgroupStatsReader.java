package dev.silo.linux.cgroup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/** Reads {@link CgroupStats} from whichever hierarchy serves each controller. */
final class CgroupStatsReader {
  private static final Pattern SPACES = Pattern.compile("\\s+");
  private static final Pattern V1_HUGETLB =
      Pattern.compile("hugetlb\\.([0-9]+[KMG]B)\\.usage_in_bytes");
  private static final Pattern V2_HUGETLB = Pattern.compile("hugetlb\\.([0-9]+[KMG]B)\\.current");

  /** USER_HZ: the unit of cpuacct.stat ticks on every Linux ABI Silo runs on. */
  private static final long NANOS_PER_TICK = 10_000_000L;

  /** v1 reports "no limit" as PAGE_COUNTER_MAX rounded down to a page: anything this big. */
  private static final long V1_UNLIMITED = 0x7FFF_FFFF_FFFF_F000L;

  private final CgroupFiles files;
  private final Map<String, Path> v1Dirs;
  private final @Nullable Path unifiedDir;
  private final Set<String> v2Controllers;

  CgroupStatsReader(
      CgroupFiles files,
      Map<String, Path> v1Dirs,
      @Nullable Path unifiedDir,
      Set<String> v2Controllers) {
    this.files = files;
    this.v1Dirs = v1Dirs;
    this.unifiedDir = unifiedDir;
    this.v2Controllers = v2Controllers;
  }

  CgroupStats read() throws IOException {
    return new CgroupStats(cpu(), memory(), pids(), blkio(), hugetlb());
  }

  private @Nullable Path v2(String controller) {
    return unifiedDir != null && v2Controllers.contains(controller) ? unifiedDir : null;
  }

  private CgroupStats.Cpu cpu() throws CgroupException {
    Path v1 = v1Dirs.get("cpuacct");
    if (v1 != null) {
      long total = files.readLong("read cpu usage", v1.resolve("cpuacct.usage"));
      long user = files.readLongOr("read cpu usage", v1.resolve("cpuacct.usage_user"), -1);
      long sys = files.readLongOr("read cpu usage", v1.resolve("cpuacct.usage_sys"), -1);
      if (user < 0 || sys < 0) { // older kernels: only tick counts
        Map<String, Long> stat = keyValues("read cpu usage", v1.resolve("cpuacct.stat"));
        user = stat.getOrDefault("user", 0L) * NANOS_PER_TICK;
        sys = stat.getOrDefault("system", 0L) * NANOS_PER_TICK;
      }
      return new CgroupStats.Cpu(total, user, sys);
    }
    // cpu.stat usage is core cgroup2: present even when the cpu controller is not enabled.
    if (unifiedDir != null && (v1Dirs.isEmpty() || v2Controllers.contains("cpu"))) {
      Map<String, Long> stat = keyValues("read cpu usage", unifiedDir.resolve("cpu.stat"));
      return new CgroupStats.Cpu(
          stat.getOrDefault("usage_usec", 0L) * 1000,
          stat.getOrDefault("user_usec", 0L) * 1000,
          stat.getOrDefault("system_usec", 0L) * 1000);
    }
    return CgroupStats.Cpu.NONE;
  }

  private CgroupStats.Memory memory() throws CgroupException {
    Path v1 = v1Dirs.get("memory");
    String action = "read memory usage";
    if (v1 != null) {
      Map<String, Long> stat = keyValues(action, v1.resolve("memory.stat"));
      long limit = files.readLong(action, v1.resolve("memory.limit_in_bytes"));
      return new CgroupStats.Memory(
          files.readLong(action, v1.resolve("memory.usage_in_bytes")),
          files.readLong(action, v1.resolve("memory.max_usage_in_bytes")),
          limit >= V1_UNLIMITED ? -1 : limit,
          stat.getOrDefault("total_cache", stat.getOrDefault("cache", 0L)),
          stat.getOrDefault("total_rss", stat.getOrDefault("rss", 0L)));
    }
    Path v2 = v2("memory");
    if (v2 != null) {
      Map<String, Long> stat = keyValues(action, v2.resolve("memory.stat"));
      return new CgroupStats.Memory(
          files.readLong(action, v2.resolve("memory.current")),
          files.readLongOr(action, v2.resolve("memory.peak"), 0),
          files.readLong(action, v2.resolve("memory.max")),
          stat.getOrDefault("file", 0L),
          stat.getOrDefault("anon", 0L));
    }
    return CgroupStats.Memory.NONE;
  }

  private CgroupStats.Pids pids() throws CgroupException {
    Path dir = v1Dirs.get("pids");
    dir = dir != null ? dir : v2("pids");
    if (dir == null) {
      return CgroupStats.Pids.NONE;
    }
    return new CgroupStats.Pids(
        files.readLong("read pids", dir.resolve("pids.current")),
        files.readLong("read pids", dir.resolve("pids.max")));
  }

  private CgroupStats.Blkio blkio() throws CgroupException {
    Path v1 = v1Dirs.get("blkio");
    if (v1 != null) {
      long[] bytes = v1Blkio(v1, "io_service_bytes");
      long[] ops = v1Blkio(v1, "io_serviced");
      return new CgroupStats.Blkio(bytes[0], bytes[1], ops[0], ops[1]);
    }
    Path v2 = v2("io");
    if (v2 == null) {
      return CgroupStats.Blkio.NONE;
    }
    long[] sums = new long[4];
    String text = files.readIfExists("read io stats", v2.resolve("io.stat"));
    for (String line : text == null ? List.<String>of() : text.lines().toList()) {
      // "8:0 rbytes=1 wbytes=2 rios=3 wios=4 dbytes=0 dios=0"
      for (String field : SPACES.split(line.trim(), -1)) {
        int eq = field.indexOf('=');
        int slot =
            eq < 0
                ? -1
                : List.of("rbytes", "wbytes", "rios", "wios").indexOf(field.substring(0, eq));
        if (slot >= 0) {
          sums[slot] += Long.parseLong(field.substring(eq + 1));
        }
      }
    }
    return new CgroupStats.Blkio(sums[0], sums[1], sums[2], sums[3]);
  }

  /** Read and write totals over devices, from the recursive throttle file if the kernel has it. */
  private long[] v1Blkio(Path dir, String name) throws CgroupException {
    String text =
        files.readIfExists(
            "read blkio stats", dir.resolve("blkio.throttle." + name + "_recursive"));
    if (text == null) {
      text = files.readIfExists("read blkio stats", dir.resolve("blkio.throttle." + name));
    }
    long[] sums = new long[2];
    for (String line : text == null ? List.<String>of() : text.lines().toList()) {
      String[] f = SPACES.split(line.trim(), -1); // "8:0 Read 1234" or "Total 1234"
      if (f.length == 3 && f[1].equals("Read")) {
        sums[0] += Long.parseLong(f[2]);
      } else if (f.length == 3 && f[1].equals("Write")) {
        sums[1] += Long.parseLong(f[2]);
      }
    }
    return sums;
  }

  private Map<String, CgroupStats.Hugetlb> hugetlb() throws IOException {
    Path v1 = v1Dirs.get("hugetlb");
    Path dir = v1 != null ? v1 : v2("hugetlb");
    if (dir == null || !Files.isDirectory(dir)) {
      return Map.of();
    }
    Pattern usage = v1 != null ? V1_HUGETLB : V2_HUGETLB;
    Map<String, CgroupStats.Hugetlb> result = new TreeMap<>();
    try (Stream<Path> list = Files.list(dir)) {
      for (Path file : list.toList()) {
        Matcher m = usage.matcher(file.getFileName().toString());
        if (m.matches()) {
          result.put(m.group(1), hugetlbOne(dir, m.group(1), v1 != null));
        }
      }
    }
    return result;
  }

  private CgroupStats.Hugetlb hugetlbOne(Path dir, String size, boolean v1) throws CgroupException {
    String p = "hugetlb." + size + ".";
    String action = "read hugetlb " + size + " usage";
    if (v1) {
      return new CgroupStats.Hugetlb(
          files.readLong(action, dir.resolve(p + "usage_in_bytes")),
          files.readLong(action, dir.resolve(p + "max_usage_in_bytes")),
          files.readLong(action, dir.resolve(p + "failcnt")));
    }
    Map<String, Long> events = keyValues(action, dir.resolve(p + "events"));
    return new CgroupStats.Hugetlb(
        files.readLong(action, dir.resolve(p + "current")),
        files.readLongOr(action, dir.resolve(p + "peak"), 0),
        events.getOrDefault("max", 0L));
  }

  /** A flat-keyed file ({@code key value} per line); missing file = no keys. */
  private Map<String, Long> keyValues(String action, Path file) throws CgroupException {
    String text = files.readIfExists(action, file);
    Map<String, Long> map = new HashMap<>();
    for (String line : text == null ? List.<String>of() : text.lines().toList()) {
      String[] kv = SPACES.split(line.trim(), -1);
      if (kv.length == 2) {
        try {
          map.put(kv[0], Long.parseLong(kv[1]));
        } catch (NumberFormatException e) {
          // non-numeric entries ("max" in some files) are not statistics
        }
      }
    }
    return map;
  }
}
