package dev.silo.bench.lb;

import dev.silo.bench.Stats;
import dev.silo.hns.HnsOptions;
import dev.silo.hns.HostNetworkService;
import dev.silo.hns.linux.LinuxDataplane;
import dev.silo.hns.spi.LoadBalancerBackends;
import dev.silo.linux.net.NetNs;
import dev.silo.linux.net.Nftables;
import dev.silo.schema.hcn.HostComputeEndpoint;
import dev.silo.schema.hcn.HostComputeLoadBalancer;
import dev.silo.schema.hcn.HostComputeNetwork;
import dev.silo.schema.hcn.LoadBalancerPortMapping;
import dev.silo.schema.hcn.NetworkType;
import dev.silo.schema.hcn.Subnet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Programs S load balancers × 10 backends through the in-process {@link HostNetworkService} on the
 * Linux dataplane (SQLite store in a temp dir, a private netns per run), then one backend change,
 * one load balancer added and one removed, medians over the repetitions; the same for the
 * kube-proxy shape A ({@link ShapeA}) loaded by {@code nft -f}. Run by {@code bench/run-lb.sh}.
 *
 * <p>Every figure is wall time with the process's CPU time beside it (all threads, user + system:
 * the kernel's commit runs in the calling thread's system time), so a figure inflated by a busy
 * machine shows as wall ≫ CPU.
 *
 * <p>Usage: {@code LbBench REPS SIZE...}, e.g. {@code LbBench 25 1000 10000}; needs root. Env
 * {@code LB_SHAPES}: {@code A2}, {@code A} or {@code A2,A} (the default: both, side by side).
 */
public final class LbBench {
  static final int BACKENDS = 10;
  static final int SHAPE_A_FULL_LIMIT_S = 180;

  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean)
          java.lang.management.ManagementFactory.getOperatingSystemMXBean();

  private final int reps;
  private final String tag = Long.toHexString(ProcessHandle.current().pid());

  private LbBench(int reps) {
    this.reps = reps;
  }

  public static void main(String[] args) throws Exception {
    int reps = args.length > 0 ? Integer.parseInt(args[0]) : 25;
    List<Integer> sizes = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      sizes.add(Integer.parseInt(args[i]));
    }
    if (sizes.isEmpty()) {
      sizes = List.of(1000, 10000);
    }
    LbBench bench = new LbBench(reps);
    String env = System.getenv("LB_SHAPES");
    List<String> shapes = List.of((env == null || env.isBlank() ? "A2,A" : env).split(","));
    for (String sh : shapes) {
      if (!sh.equals("A2") && !sh.equals("A")) {
        throw new IllegalArgumentException("LB_SHAPES: '" + sh + "' is not A2 or A");
      }
    }
    out(
        "libnftables: "
            + (Nftables.libnftablesUnavailabilityCause() == null ? "yes" : "no (nft processes)")
            + ", shapes "
            + String.join(",", shapes));
    for (int s : sizes) {
      if (shapes.contains("A2")) {
        bench.shapeA2(s);
      }
      if (shapes.contains("A")) {
        bench.shapeA(s, s <= 1000);
      }
    }
  }

  private static final java.lang.management.ThreadMXBean THREADS =
      java.lang.management.ManagementFactory.getThreadMXBean();

  /**
   * The process's CPU time so far (all threads, user + system), in nanoseconds; the kernel counts
   * it in clock ticks (10 ms), fine for the full runs only.
   */
  static long cpu() {
    return OS.getProcessCpuTime();
  }

  /**
   * The calling thread's CPU time (user + system, nanosecond resolution): a single change runs in
   * it whole, the kernel's commit included (netlink handles the batch inside the send).
   */
  static long threadCpu() {
    return THREADS.getCurrentThreadCpuTime();
  }

  /** A call whose wall and CPU time are measured. */
  @FunctionalInterface
  interface Call {
    void run() throws Exception;
  }

  /** Wall and CPU samples of one series, in milliseconds. */
  static final class Series {
    final List<Double> wall = new ArrayList<>();
    final List<Double> cpu = new ArrayList<>();

    final List<Double> processCpu = new ArrayList<>();

    void time(Call call) throws Exception {
      long p0 = cpu();
      long c0 = threadCpu();
      long t0 = System.nanoTime();
      call.run();
      wall.add((System.nanoTime() - t0) / 1e6);
      cpu.add((threadCpu() - c0) / 1e6);
      processCpu.add((cpu() - p0) / 1e6);
    }

    @Override
    public String toString() {
      return median(wall)
          + ", calling thread's CPU median "
          + String.format(Locale.ROOT, "%.3f ms", median0(cpu));
    }

    private static double median0(List<Double> samples) {
      return Stats.of(samples).median();
    }
  }

  /** One timed call: "W ms (CPU C ms)". */
  static String once(Call call) throws Exception {
    Series s = new Series();
    s.time(call);
    return ms(s.wall.get(0))
        + " (CPU: process "
        + ms(s.processCpu.get(0))
        + ", calling thread "
        + ms(s.cpu.get(0))
        + ")";
  }

  /** Frontend VIP of service {@code i}: 10.96.0.1, 10.96.0.2, … (250 per /24). */
  static String vip(int i) {
    return "10.96." + (i / 250) + "." + (i % 250 + 1);
  }

  static void out(String line) {
    System.out.println(line); // a benchmark main: stdout is its report
  }

  static String ms(double millis) {
    return String.format(Locale.ROOT, "%.3f ms", millis);
  }

  static String median(List<Double> samples) {
    Stats st = Stats.of(samples);
    return String.format(
        Locale.ROOT, "median %.3f ms (p90 %.3f, n=%d)", st.median(), st.p90(), st.count());
  }

  private static HostComputeLoadBalancer lb(int i, List<String> backends) {
    return new HostComputeLoadBalancer(
        null,
        backends,
        null,
        List.of(vip(i)),
        List.of(new LoadBalancerPortMapping(6, 8080, 80, 0, 0)),
        null,
        0);
  }

  /** The map-element shape through the in-process API, in its own netns and store. */
  private void shapeA2(int services) throws Exception {
    String nsName = "silolbb-" + tag;
    NetNs.create(nsName);
    Path dir = Files.createTempDirectory("silo-lb-bench");
    try (LinuxDataplane dp = LinuxDataplane.open(nsName)) {
      Files.writeString(dir.resolve("boot_id"), "11111111-2222-3333-4444-555555555555\n");
      HostNetworkService hns =
          HostNetworkService.open(
              HnsOptions.defaults(dp)
                  .withHostNetns(nsName)
                  .withDatabase(dir.resolve("hns.db"))
                  .withBootIdFile(dir.resolve("boot_id"))
                  .withReconcile(HnsOptions.Reconcile.NEVER));
      new A2Run(hns, dp, nsName, services).run();
    } finally {
      NetNs.delete(nsName);
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }

  /** One A2 run over an open service. */
  private final class A2Run {
    final HostNetworkService hns;
    final LinuxDataplane dp;
    final String ns;
    final int services;
    final List<String> eps = new ArrayList<>();
    final List<String> ids = new ArrayList<>();

    A2Run(HostNetworkService hns, LinuxDataplane dp, String ns, int services) {
      this.hns = hns;
      this.dp = dp;
      this.ns = ns;
      this.services = services;
    }

    void run() throws Exception {
      HostComputeNetwork net =
          hns.createNetwork(
              HostComputeNetwork.of(
                  "lbnet", NetworkType.NAT, Subnet.of("172.30.0.0/16", "172.30.0.1")));
      for (int i = 0; i <= BACKENDS; i++) {
        HostComputeEndpoint ep =
            hns.createEndpoint(HostComputeEndpoint.of("be" + i, Objects.requireNonNull(net.id())));
        eps.add(Objects.requireNonNull(ep.id()));
      }
      String p = "A2 S=" + services + ": ";
      List<HostComputeLoadBalancer> all = new ArrayList<>();
      for (int i = 0; i < services; i++) {
        all.add(lb(i, eps.subList(0, BACKENDS)));
      }
      String took =
          once(
              () -> {
                for (HostComputeLoadBalancer made : hns.createLoadBalancers(all)) {
                  ids.add(Objects.requireNonNull(made.id()));
                }
              });
      out(
          p
              + "full programming through the API (createLoadBalancers: one transaction, one"
              + " element batch): "
              + took);
      dataplaneOnlyFull(p);
      reconcileAfterFlush(p);
      changes(p);
    }

    /** Every stored LB programmed again straight through the dataplane, no store involved. */
    void dataplaneOnlyFull(String p) throws Exception {
      flushTable();
      List<HostComputeEndpoint> backends = new ArrayList<>();
      for (String e : eps.subList(0, BACKENDS)) {
        backends.add(hns.getEndpointById(e));
      }
      List<HostComputeLoadBalancer> lbs = hns.listLoadBalancers(null);
      List<LoadBalancerBackends> programs = new ArrayList<>();
      for (HostComputeLoadBalancer lb : lbs) {
        programs.add(new LoadBalancerBackends(lb, backends));
      }
      String took = once(() -> dp.programLoadBalancers(programs));
      out(p + "full programming, dataplane only (one element batch, no store): " + took);
    }

    /** The reconcile path: the table deleted behind HNS's back, reconcile re-programs all LBs. */
    void reconcileAfterFlush(String p) throws Exception {
      flushTable();
      String took =
          once(
              () -> {
                var report = hns.reconcile();
                long lbs =
                    report.recreated().stream().filter(r -> r.startsWith("LoadBalancer ")).count();
                if (!report.failed().isEmpty() || lbs != services) {
                  throw new IllegalStateException("reconcile: " + report);
                }
              });
      out(
          p
              + "full re-programming by reconcile (inventory + store read + one element batch): "
              + took);
    }

    void changes(String p) throws Exception {
      Series modify = new Series();
      Series modifyDp = new Series();
      Series add = new Series();
      Series remove = new Series();
      Series storeOnly = new Series();
      List<HostComputeEndpoint> spare = new ArrayList<>();
      for (String e : eps) {
        spare.add(hns.getEndpointById(e));
      }
      for (int r = 0; r < reps; r++) {
        int k = (int) ((r * 7919L) % services);
        String id = ids.get(k);
        // backend 0 swapped for the spare endpoint: one slot element replaced
        List<String> swapped = new ArrayList<>(eps.subList(1, BACKENDS + 1));
        modify.time(() -> hns.updateLoadBalancer(id, lb(k, swapped).withId(id)));
        HostComputeLoadBalancer back = lb(k, eps.subList(0, BACKENDS)).withId(id);
        modifyDp.time(() -> dp.programLoadBalancer(back, spare.subList(0, BACKENDS)));
        // the store brought back in line with the kernel: a full API call whose diff is empty
        storeOnly.time(() -> hns.updateLoadBalancer(id, back));
        HostComputeLoadBalancer extra = lb(services + r, eps.subList(0, BACKENDS));
        List<String> added = new ArrayList<>();
        add.time(() -> added.add(Objects.requireNonNull(hns.createLoadBalancer(extra).id())));
        remove.time(() -> hns.deleteLoadBalancer(added.get(0)));
      }
      out(p + "one backend change through the API: " + modify);
      out(p + "one backend change, dataplane only: " + modifyDp);
      out(p + "API call without kernel change (store commit + element diff): " + storeOnly);
      out(p + "one LB added through the API: " + add);
      out(p + "one LB removed through the API: " + remove);
    }

    void flushTable() {
      try (Nftables nft = Nftables.open(NetNs.open(ns))) {
        nft.apply("delete table ip silolb\n");
      }
      try {
        dp.inventory(); // the dataplane re-reads the (now empty) table
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /**
   * Shape A in its own netns: full load by {@code nft -f}, then changes by nft -f and libnftables.
   */
  private void shapeA(int services, boolean withChanges) throws Exception {
    String nsName = "silolba-" + tag;
    NetNs ns = NetNs.create(nsName);
    Path dir = Files.createTempDirectory("silo-lb-bench-a");
    List<String> backends = new ArrayList<>();
    for (int i = 0; i < BACKENDS + 1; i++) {
      backends.add("172.30.0." + (i + 2));
    }
    String p = "A  S=" + services + ": ";
    try {
      Path full = dir.resolve("full.nft");
      Files.writeString(full, ShapeA.full(services, backends.subList(0, BACKENDS)));
      double took = nftFile(nsName, full, SHAPE_A_FULL_LIMIT_S);
      if (took < 0) {
        out(p + "full load (nft -f): skipped: >" + SHAPE_A_FULL_LIMIT_S + " s");
        return;
      }
      out(p + "full load (nft -f): " + ms(took));
      if (withChanges) {
        shapeAChanges(p, nsName, ns, dir, services, backends);
      }
    } finally {
      NetNs.delete(nsName);
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(f);
        }
      }
    }
  }

  private void shapeAChanges(
      String p, String nsName, NetNs ns, Path dir, int services, List<String> backends)
      throws Exception {
    List<Double> viaNft = new ArrayList<>();
    List<Double> viaLib = new ArrayList<>();
    int[] generation = new int[services];
    try (Nftables nft = Nftables.open(ns)) {
      for (int r = 0; r < reps; r++) {
        int k = (int) ((r * 7919L) % services);
        List<String> now =
            r % 2 == 0 ? backends.subList(1, BACKENDS + 1) : backends.subList(0, BACKENDS);
        Path change = dir.resolve("change.nft");
        Files.writeString(change, ShapeA.change(k, now, ++generation[k]));
        viaNft.add(nftFile(nsName, change, 60));
        String script =
            ShapeA.change(k, r % 2 == 0 ? backends.subList(0, BACKENDS) : now, ++generation[k]);
        long t0 = System.nanoTime();
        nft.apply(script);
        viaLib.add((System.nanoTime() - t0) / 1e6);
      }
    }
    out(p + "one backend change (service chain rewrite), nft -f: " + median(viaNft));
    out(p + "one backend change, libnftables context kept open: " + median(viaLib));
  }

  /** Runs {@code ip netns exec NS nft -f FILE}; its milliseconds, or -1 after {@code limitS}. */
  private static double nftFile(String ns, Path file, int limitS)
      throws IOException, InterruptedException {
    ProcessBuilder pb =
        new ProcessBuilder("ip", "netns", "exec", ns, "nft", "-f", file.toString())
            .redirectErrorStream(true)
            .redirectOutput(file.resolveSibling("nft.out").toFile());
    long t0 = System.nanoTime();
    Process proc = pb.start();
    if (!proc.waitFor(limitS, java.util.concurrent.TimeUnit.SECONDS)) {
      proc.destroyForcibly().waitFor();
      return -1;
    }
    double took = (System.nanoTime() - t0) / 1e6;
    if (proc.exitValue() != 0) {
      throw new IllegalStateException(
          "nft -f " + file + ": " + Files.readString(file.resolveSibling("nft.out")));
    }
    return took;
  }
}
