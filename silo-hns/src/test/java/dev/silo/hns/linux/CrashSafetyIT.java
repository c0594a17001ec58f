package dev.silo.hns.linux;

import static org.assertj.core.api.Assertions.assertThat;

import dev.silo.hns.HnsOptions;
import dev.silo.hns.HostNetworkService;
import dev.silo.hns.ReconcileReport;
import dev.silo.hns.spi.KernelInventory;
import dev.silo.linux.net.Nftables;
import dev.silo.schema.hcn.HostComputeEndpoint;
import dev.silo.schema.hcn.HostComputeNamespace;
import dev.silo.schema.hcn.HostComputeNetwork;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash safety: a child process runs an endpoint's whole life and is {@code kill -9}ed at each of
 * its stop points in turn (after every kernel step and around every commit); a fresh start then
 * reconciles to a state with no orphan link, netns, nft element or row, a second reconcile finds
 * nothing to do, and finishing the job through the API leaves the kernel and the store as before.
 */
class CrashSafetyIT {
  private static final int MAX_POINTS = 60;

  @Test
  void killDashNineAtEveryStopPointThenAFreshStartReconcilesClean(@TempDir Path dir)
      throws Exception {
    try (Lab lab = new Lab(dir)) {
      HostComputeNetwork net = lab.hns.createNetwork(NatDataplaneIT.natNetwork());
      String netId = Objects.requireNonNull(net.id());
      Kernel before = Kernel.of(lab);
      List<String> stops = new ArrayList<>();
      for (int n = 1; n <= MAX_POINTS; n++) {
        String where = runChild(lab, netId, n);
        if (where.equals("DONE")) {
          break;
        }
        stops.add(where);
        try (HostNetworkService fresh =
            HostNetworkService.open(lab.options().withReconcile(HnsOptions.Reconcile.ALWAYS))) {
          ReconcileReport first = fresh.openReport();
          assertThat(first.failed()).as("reconcile after a kill at %s", where).isEmpty();
          assertNoOrphans(lab, fresh, where);
          assertThat(fresh.reconcile().clean()).as("second reconcile after %s", where).isTrue();
          finishThroughTheApi(fresh);
        }
        assertThat(Kernel.of(lab)).as("kernel after a kill at %s", where).isEqualTo(before);
        assertThat(rows(lab))
            .as("rows after a kill at %s", where)
            .isEqualTo(List.of(0, 0, 0, 0, 0));
      }
      System.out.println("CrashSafetyIT: killed at " + stops.size() + " stop points: " + stops);
      // every step of create, attach, detach and delete was a kill point, and the loop ended
      assertThat(stops).hasSizeGreaterThan(10).hasSizeLessThan(MAX_POINTS);
      assertThat(stops)
          .anyMatch(s -> s.contains("kernel step") && s.contains("attach"))
          .anyMatch(s -> s.contains("hcnCreateEndpoint") && s.contains("before commit"))
          .anyMatch(s -> s.contains("hcnDeleteEndpoint") && s.contains("after commit"));
    }
  }

  /** Runs the child to stop point {@code n}, kills it with SIGKILL; returns where it stopped. */
  private static String runChild(Lab lab, String netId, int n) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p =
        new ProcessBuilder(
                java,
                "--enable-native-access=ALL-UNNAMED",
                "-Dsilo.hns.stopAt=" + n,
                "-cp",
                System.getProperty("java.class.path"),
                CrashChild.class.getName(),
                lab.hostName,
                lab.dir.resolve("hns.db").toString(),
                lab.dir.resolve("boot_id").toString(),
                netId)
            .redirectErrorStream(true)
            .start();
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      List<String> seen = new ArrayList<>();
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        seen.add(line);
        if (line.startsWith("silo-hns: stopped at ")) {
          p.destroyForcibly(); // SIGKILL: no finally, no undo, no rollback in the process
          assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
          return line.substring("silo-hns: stopped at ".length());
        }
        if (line.equals("DONE")) {
          assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
          assertThat(p.exitValue()).isZero();
          return "DONE";
        }
      }
      p.waitFor(30, TimeUnit.SECONDS);
      throw new AssertionError("child ended without a stop point: " + seen);
    } finally {
      p.destroyForcibly();
    }
  }

  /** Every kernel object of the lab's scope belongs to a stored object. */
  private static void assertNoOrphans(Lab lab, HostNetworkService hns, String where)
      throws Exception {
    KernelInventory inv = lab.dp.inventory();
    Set<String> endpoints = new TreeSet<>();
    Set<String> attached = new TreeSet<>();
    for (HostComputeEndpoint e : hns.listEndpoints(null)) {
      endpoints.add(Objects.requireNonNull(e.id()));
      if (e.hostComputeNamespace() != null) {
        attached.add(Objects.requireNonNull(e.id()));
      }
    }
    Set<String> namespaces = new TreeSet<>();
    for (HostComputeNamespace ns : hns.listNamespaces(null)) {
      namespaces.add(Objects.requireNonNull(ns.id()));
    }
    assertThat(endpoints).as("stored endpoints after %s", where).containsAll(inv.endpoints());
    assertThat(inv.attachedEndpoints())
        .as(
            "attached after %s (links %s, stored %s)",
            where, lab.siloLinks(), hns.listEndpoints(null))
        .isEqualTo(attached);
    assertThat(new TreeSet<>(inv.namespaces())).as("netns after %s", where).isEqualTo(namespaces);
  }

  /** Detaches and deletes whatever the killed child left, through the API. */
  private static void finishThroughTheApi(HostNetworkService hns) throws Exception {
    for (HostComputeEndpoint e : hns.listEndpoints(null)) {
      String ns = e.hostComputeNamespace();
      if (ns != null) {
        hns.removeNamespaceEndpoint(ns, Objects.requireNonNull(e.id()));
      }
      hns.deleteEndpoint(Objects.requireNonNull(e.id()));
    }
    for (HostComputeNamespace ns : hns.listNamespaces(null)) {
      hns.deleteNamespace(Objects.requireNonNull(ns.id()));
    }
  }

  /** Rows of endpoints, namespaces, claimed addresses, ports and MACs in the lab's store. */
  private static List<Integer> rows(Lab lab) throws Exception {
    List<Integer> counts = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + lab.dir.resolve("hns.db"));
        Statement s = c.createStatement()) {
      for (String q :
          List.of(
              "SELECT count(*) FROM objects WHERE kind = 'ENDPOINT'",
              "SELECT count(*) FROM objects WHERE kind = 'NAMESPACE'",
              "SELECT count(*) FROM addresses",
              "SELECT count(*) FROM ports",
              "SELECT count(*) FROM macs")) {
        try (ResultSet r = s.executeQuery(q)) {
          r.next();
          counts.add(r.getInt(1));
        }
      }
    }
    return counts;
  }

  /** The lab host's Silo links, HNS netns and nft table, for before/after comparison. */
  private record Kernel(List<String> links, List<String> netns, String table) {
    static Kernel of(Lab lab) {
      String table;
      try (Nftables nft = Nftables.open(lab.host)) {
        table = nft.listTableJson("ip", "silo").replaceAll("\"handle\": *\\d+,?", "");
      }
      return new Kernel(
          lab.siloLinks().stream().sorted().toList(),
          lab.hnsNetns().stream().sorted().toList(),
          table);
    }
  }
}
