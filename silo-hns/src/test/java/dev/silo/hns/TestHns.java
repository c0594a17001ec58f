package dev.silo.hns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.silo.api.HnsException;
import dev.silo.schema.hcn.HostComputeEndpoint;
import dev.silo.schema.hcn.HostComputeNetwork;
import dev.silo.schema.hcn.NetworkType;
import dev.silo.schema.hcn.Subnet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

/** A service on a temp-file store, a fake boot id and a recording dataplane. */
final class TestHns {
  final Path dir;
  final Path db;
  final Path bootId;
  final RecordingDataplane dataplane = new RecordingDataplane();

  TestHns(Path dir) throws IOException {
    this.dir = dir;
    this.db = dir.resolve("state/hns.db");
    this.bootId = dir.resolve("boot_id");
    Files.writeString(bootId, "11111111-2222-3333-4444-555555555555\n");
  }

  HnsOptions options() {
    return HnsOptions.defaults(dataplane).withDatabase(db).withBootIdFile(bootId);
  }

  HostNetworkService open() throws HnsException {
    return HostNetworkService.open(options());
  }

  static HostComputeNetwork nat(String name, String prefix) {
    return HostComputeNetwork.of(name, NetworkType.NAT, Subnet.of(prefix, null));
  }

  static HostComputeEndpoint endpoint(String name, HostComputeNetwork network) {
    return HostComputeEndpoint.of(name, String.valueOf(network.id()));
  }

  static String id(HostComputeNetwork n) {
    return java.util.Objects.requireNonNull(n.id());
  }

  static String id(HostComputeEndpoint e) {
    return java.util.Objects.requireNonNull(e.id());
  }

  static String id(dev.silo.schema.hcn.HostComputeNamespace ns) {
    return java.util.Objects.requireNonNull(ns.id());
  }

  static String id(dev.silo.schema.hcn.HostComputeLoadBalancer lb) {
    return java.util.Objects.requireNonNull(lb.id());
  }

  /** Number of object rows. */
  int objects() throws SQLException {
    return java.util.Objects.requireNonNull(rows().get("objects"));
  }

  /** Row counts of every store table, read straight from the SQLite file. */
  Map<String, Integer> rows() throws SQLException {
    Map<String, Integer> out = new LinkedHashMap<>();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement s = c.createStatement()) {
      for (String table : new String[] {"objects", "addresses", "macs", "ports"}) {
        try (ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
          rs.next();
          out.put(table, rs.getInt(1));
        }
      }
    }
    return out;
  }

  /** Asserts the store holds exactly the given number of object rows and claims. */
  void assertRows(int objects, int addresses, int macs, int ports) throws SQLException {
    assertThat(rows())
        .containsExactly(
            Map.entry("objects", objects),
            Map.entry("addresses", addresses),
            Map.entry("macs", macs),
            Map.entry("ports", ports));
  }
}
