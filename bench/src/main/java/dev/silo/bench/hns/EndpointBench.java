package dev.silo.bench.hns;

import dev.silo.api.HnsException;
import dev.silo.bench.Stats;
import dev.silo.hns.HnsOptions;
import dev.silo.hns.HostNetworkService;
import dev.silo.linux.net.NetNs;
import dev.silo.schema.hcn.EndpointPolicy;
import dev.silo.schema.hcn.HostComputeEndpoint;
import dev.silo.schema.hcn.HostComputeNamespace;
import dev.silo.schema.hcn.HostComputeNetwork;
import dev.silo.schema.hcn.NetworkType;
import dev.silo.schema.hcn.PortMappingPolicySetting;
import dev.silo.schema.hcn.Subnet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Endpoint create+attach and detach+delete through the in-process HNS API, side by side with the
 * CNI {@code bridge} plugin (host-local IPAM) ADD/DEL and the bridge+{@code portmap} chain, all in
 * the network namespace this process runs in (bench/run-endpoint.sh starts it in a private one).
 *
 * <p>Usage: {@code EndpointBench N WARMUP WORKDIR CNI_DIR}. Prints one table of medians and ratios.
 */
public final class EndpointBench {
  private static final int PORT_BASE = 20000;

  private EndpointBench() {}

  public static void main(String[] args) throws Exception {
    int n = Integer.parseInt(args[0]);
    int warmup = Integer.parseInt(args[1]);
    Path work = Path.of(args[2]);
    Path cniDir = Path.of(args[3]);
    int maps = args.length > 4 ? Integer.parseInt(args[4]) : 1000;
    List<String> rows = new ArrayList<>();
    Series[] silo = silo(n, warmup, work);
    Series[] bridge = cni(n, warmup, work, cniDir, false);
    Series[] portmap = cni(n, warmup, work, cniDir, true);
    Series siloMaps = maps > 0 ? siloPortMaps(work, maps) : new Series();
    Series cniMaps = maps > 0 ? cniPortMaps(work, cniDir, maps) : new Series();
    double base = Stats.of(silo[0].ms).median();
    rows.add(row("silo HNS create+attach (1 port map)", silo[0], base));
    rows.add(row("silo HNS detach+delete", silo[1], Stats.of(silo[1].ms).median()));
    rows.add(row("CNI bridge ADD", bridge[0], base));
    rows.add(row("CNI bridge DEL", bridge[1], Stats.of(silo[1].ms).median()));
    rows.add(row("CNI bridge+portmap ADD", portmap[0], base));
    rows.add(row("CNI bridge+portmap DEL", portmap[1], Stats.of(silo[1].ms).median()));
    System.out.printf(
        Locale.ROOT,
        "%-38s %8s %8s %8s %10s%n",
        "operation (n=" + n + ")",
        "median",
        "min",
        "p90",
        "× silo");
    rows.forEach(System.out::println);
    if (maps == 0) {
      return;
    }
    double mapBase = Stats.of(siloMaps.ms).median();
    System.out.printf(
        Locale.ROOT,
        "%n%d port mappings, one more at a time (medians of all %d adds):%n",
        maps,
        maps);
    System.out.println(row("silo HNS endpoint create with 1 port map", siloMaps, mapBase));
    System.out.println(row("CNI portmap ADD (iptables-nft)", cniMaps, mapBase));
    System.out.printf(
        Locale.ROOT,
        "%-38s %8.1f ms silo vs %.1f ms CNI%n",
        "total for " + maps + " mappings",
        sum(siloMaps),
        sum(cniMaps));
  }

  /** A named series of samples in ms. */
  private record Series(List<Double> ms) {
    Series() {
      this(new ArrayList<>());
    }
  }

  private static String row(String name, Series s, double siloMedian) {
    Stats st = Stats.of(s.ms);
    return String.format(
        Locale.ROOT,
        "%-38s %8.2f %8.2f %8.2f %10.2f",
        name,
        st.median(),
        st.min(),
        st.p90(),
        st.median() / siloMedian);
  }

  private static Series[] silo(int n, int warmup, Path work) throws HnsException {
    HnsOptions options =
        HnsOptions.linux(null)
            .withDatabase(work.resolve("hns.db"))
            .withReconcile(HnsOptions.Reconcile.NEVER);
    HostNetworkService hns = HostNetworkService.open(options);
    HostComputeNetwork net =
        hns.createNetwork(
            HostComputeNetwork.of(
                "bench", NetworkType.NAT, Subnet.of("10.77.0.0/16", "10.77.0.1")));
    String netId = Objects.requireNonNull(net.id());
    String nsId = Objects.requireNonNull(hns.createNamespace(HostComputeNamespace.host()).id());
    Series add = new Series();
    Series del = new Series();
    try {
      for (int i = 0; i < warmup + n; i++) {
        PortMappingPolicySetting map =
            new PortMappingPolicySetting(6, 80, PORT_BASE + i % 1000, null, null);
        HostComputeEndpoint in =
            HostComputeEndpoint.of("ep" + i, netId).withPolicies(List.of(EndpointPolicy.of(map)));
        long t0 = System.nanoTime();
        String epId = Objects.requireNonNull(hns.createEndpoint(in).id());
        hns.addNamespaceEndpoint(nsId, epId);
        long t1 = System.nanoTime();
        hns.removeNamespaceEndpoint(nsId, epId);
        hns.deleteEndpoint(epId);
        long t2 = System.nanoTime();
        if (i >= warmup) {
          add.ms.add((t1 - t0) / 1e6);
          del.ms.add((t2 - t1) / 1e6);
        }
      }
    } catch (HnsException | RuntimeException e) {
      System.err.println("EndpointBench: " + e.getMessage());
      throw e;
    } finally {
      hns.deleteNamespace(nsId);
      hns.deleteNetwork(netId);
    }
    return new Series[] {add, del};
  }

  private static Series[] cni(int n, int warmup, Path work, Path cniDir, boolean withPortmap)
      throws Exception {
    String name = work.getFileName() + (withPortmap ? "-pm" : "-br");
    Path netns = NetNs.RUN_DIR.resolve(name);
    Path ipam = Files.createDirectories(work.resolve("ipam" + (withPortmap ? "-pm" : "-br")));
    NetNs.create(name);
    Series add = new Series();
    Series del = new Series();
    try {
      String bridgeConf = bridgeConfig(ipam);
      for (int i = 0; i < warmup + n; i++) {
        CniPlugin cni = new CniPlugin(cniDir, netns, "bench" + i);
        String portmapConf = "";
        long t0 = System.nanoTime();
        String result = cni.call("bridge", "ADD", bridgeConf);
        if (withPortmap) {
          portmapConf = portmapConfig(PORT_BASE + i % 1000, result);
          cni.call("portmap", "ADD", portmapConf);
        }
        long t1 = System.nanoTime();
        if (withPortmap) {
          cni.call("portmap", "DEL", portmapConf);
        }
        cni.call("bridge", "DEL", bridgeConf);
        long t2 = System.nanoTime();
        if (i >= warmup) {
          add.ms.add((t1 - t0) / 1e6);
          del.ms.add((t2 - t1) / 1e6);
        }
      }
    } finally {
      NetNs.delete(name);
    }
    return new Series[] {add, del};
  }

  /** {@code maps} endpoints with one port mapping each, created one by one, then deleted. */
  private static Series siloPortMaps(Path work, int maps) throws HnsException {
    HnsOptions options =
        HnsOptions.linux(null)
            .withDatabase(work.resolve("maps.db"))
            .withReconcile(HnsOptions.Reconcile.NEVER);
    Series add = new Series();
    try (HostNetworkService hns = HostNetworkService.open(options)) {
      HostComputeNetwork net =
          hns.createNetwork(
              HostComputeNetwork.of(
                  "maps", NetworkType.NAT, Subnet.of("10.80.0.0/16", "10.80.0.1")));
      String netId = Objects.requireNonNull(net.id());
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < maps; i++) {
        PortMappingPolicySetting map = new PortMappingPolicySetting(6, 80, 30000 + i, null, null);
        HostComputeEndpoint in =
            HostComputeEndpoint.of("m" + i, netId).withPolicies(List.of(EndpointPolicy.of(map)));
        long t0 = System.nanoTime();
        ids.add(Objects.requireNonNull(hns.createEndpoint(in).id()));
        add.ms.add((System.nanoTime() - t0) / 1e6);
      }
      for (String id : ids) {
        hns.deleteEndpoint(id);
      }
      hns.deleteNetwork(netId);
    }
    return add;
  }

  /** {@code maps} CNI portmap ADDs (the bridge result synthesized), then their DELs. */
  private static Series cniPortMaps(Path work, Path cniDir, int maps) {
    String name = work.getFileName() + "-maps";
    NetNs.create(name);
    Series add = new Series();
    try {
      List<String[]> made = new ArrayList<>();
      for (int i = 0; i < maps; i++) {
        String ip = "10.81." + (i / 250) + "." + (i % 250 + 2);
        String result =
            """
            {"cniVersion":"0.4.0","interfaces":[{"name":"eth0","sandbox":"%s"}],
             "ips":[{"version":"4","address":"%s/16","gateway":"10.81.0.1","interface":0}]}
            """
                .formatted(NetNs.RUN_DIR.resolve(name), ip);
        String conf = portmapConfig(30000 + i, result);
        CniPlugin cni = new CniPlugin(cniDir, NetNs.RUN_DIR.resolve(name), "map" + i);
        long t0 = System.nanoTime();
        cni.call("portmap", "ADD", conf);
        add.ms.add((System.nanoTime() - t0) / 1e6);
        made.add(new String[] {"map" + i, conf});
      }
      for (String[] m : made) {
        new CniPlugin(cniDir, NetNs.RUN_DIR.resolve(name), m[0]).call("portmap", "DEL", m[1]);
      }
    } finally {
      NetNs.delete(name);
    }
    return add;
  }

  private static double sum(Series s) {
    double total = 0;
    for (double v : s.ms) {
      total += v;
    }
    return total;
  }

  private static String bridgeConfig(Path ipam) {
    return """
        {"cniVersion":"0.4.0","name":"benchnet","type":"bridge","bridge":"cnibench0",
         "isGateway":true,"ipMasq":true,
         "ipam":{"type":"host-local","subnet":"10.78.0.0/16","dataDir":"%s"}}
        """
        .formatted(ipam);
  }

  private static String portmapConfig(int hostPort, String prevResult) {
    return """
        {"cniVersion":"0.4.0","name":"benchnet","type":"portmap","snat":true,
         "runtimeConfig":{"portMappings":[{"hostPort":%d,"containerPort":80,"protocol":"tcp"}]},
         "prevResult":%s}
        """
        .formatted(hostPort, prevResult.strip());
  }
}
