package dev.silo.hns.internal;

import dev.silo.hns.spi.ObjectKind;
import dev.silo.hns.spi.Undo;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The rows of one store transaction: HCN objects as JSON documents keyed by kind and id, plus the
 * claim tables (addresses, MACs, host ports) whose primary keys make a double claim impossible.
 */
public final class Tx {
  private final Statements c;
  private final List<Undo> undos = new ArrayList<>();

  Tx(Statements c) {
    this.c = c;
  }

  /** Records how to reverse a dataplane step that has been done. */
  public void done(Undo undo) {
    undos.add(undo);
  }

  List<Undo> undos() {
    return undos;
  }

  /** A stored object row. */
  public record Row(String id, @Nullable String name, @Nullable String parent, String doc) {}

  public @Nullable Row get(ObjectKind kind, String id) throws SQLException {
    List<Row> rows = rows("WHERE kind = ? AND id = ?", kind.name(), id);
    return rows.isEmpty() ? null : rows.get(0);
  }

  public @Nullable Row byName(ObjectKind kind, String name) throws SQLException {
    List<Row> rows = rows("WHERE kind = ? AND name = ?", kind.name(), name);
    return rows.isEmpty() ? null : rows.get(0);
  }

  public List<Row> all(ObjectKind kind) throws SQLException {
    return rows("WHERE kind = ? ORDER BY rowid", kind.name());
  }

  public List<Row> children(ObjectKind kind, String parent) throws SQLException {
    return rows("WHERE kind = ? AND parent = ? ORDER BY rowid", kind.name(), parent);
  }

  /** Whether the store holds no object at all (a store that has programmed nothing). */
  public boolean empty() throws SQLException {
    return rows("LIMIT 1").isEmpty();
  }

  /** Rows of objects that do not survive a reboot (EnableNonPersistent networks and theirs). */
  public List<Row> volatileRows(ObjectKind kind) throws SQLException {
    return rows("WHERE kind = ? AND persistent = 0 ORDER BY rowid", kind.name());
  }

  private List<Row> rows(String where, String... args) throws SQLException {
    PreparedStatement ps = c.get("SELECT id, name, parent, doc FROM objects " + where);
    for (int i = 0; i < args.length; i++) {
      ps.setString(i + 1, args[i]);
    }
    List<Row> out = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)));
      }
    }
    return out;
  }

  public void insert(
      ObjectKind kind,
      String id,
      @Nullable String name,
      @Nullable String parent,
      boolean persistent,
      String doc)
      throws SQLException {
    update(
        "INSERT INTO objects(kind, id, name, parent, persistent, doc) VALUES (?, ?, ?, ?, ?, ?)",
        kind.name(),
        id,
        name,
        parent,
        persistent ? 1L : 0L,
        doc);
  }

  public void replace(ObjectKind kind, String id, String doc) throws SQLException {
    update("UPDATE objects SET doc = ? WHERE kind = ? AND id = ?", doc, kind.name(), id);
  }

  public void delete(ObjectKind kind, String id) throws SQLException {
    update("DELETE FROM objects WHERE kind = ? AND id = ?", kind.name(), id);
    if (kind == ObjectKind.ENDPOINT) {
      releaseClaims(id);
    }
  }

  /** Addresses (as ints) taken on a network. */
  public Set<Integer> addresses(String network) throws SQLException {
    Set<Integer> out = new HashSet<>();
    PreparedStatement ps = c.get("SELECT ip FROM addresses WHERE network = ?");
    ps.setString(1, network);
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(rs.getInt(1));
      }
    }
    return out;
  }

  public @Nullable String addressOwner(String network, int ip) throws SQLException {
    return owner("SELECT endpoint FROM addresses WHERE network = ? AND ip = ?", network, ip);
  }

  public void claimAddress(String network, int ip, String endpoint) throws SQLException {
    update(
        "INSERT INTO addresses(network, ip, endpoint) VALUES (?, ?, ?)",
        network,
        (long) ip,
        endpoint);
  }

  /** MACs (as longs) taken on the host. */
  public Set<Long> macs() throws SQLException {
    Set<Long> out = new HashSet<>();
    try (ResultSet rs = c.get("SELECT mac FROM macs").executeQuery()) {
      while (rs.next()) {
        out.add(rs.getLong(1));
      }
    }
    return out;
  }

  public @Nullable String macOwner(long mac) throws SQLException {
    return owner("SELECT endpoint FROM macs WHERE mac = ?", mac);
  }

  public void claimMac(long mac, String endpoint) throws SQLException {
    update("INSERT INTO macs(mac, endpoint) VALUES (?, ?)", mac, endpoint);
  }

  public @Nullable String portOwner(int protocol, int port) throws SQLException {
    return owner("SELECT endpoint FROM ports WHERE protocol = ? AND port = ?", protocol, port);
  }

  public void claimPort(int protocol, int port, String endpoint) throws SQLException {
    update(
        "INSERT INTO ports(protocol, port, endpoint) VALUES (?, ?, ?)",
        (long) protocol,
        (long) port,
        endpoint);
  }

  public void releasePorts(String endpoint) throws SQLException {
    update("DELETE FROM ports WHERE endpoint = ?", endpoint);
  }

  private void releaseClaims(String endpoint) throws SQLException {
    update("DELETE FROM addresses WHERE endpoint = ?", endpoint);
    update("DELETE FROM macs WHERE endpoint = ?", endpoint);
    releasePorts(endpoint);
  }

  public @Nullable String meta(String key) throws SQLException {
    return owner("SELECT value FROM meta WHERE key = ?", key);
  }

  public void setMeta(String key, String value) throws SQLException {
    update("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", key, value);
  }

  /** Increments and returns the generation counter (changes on every committed mutation). */
  public long bumpGeneration() throws SQLException {
    String current = meta("generation");
    long next = current == null ? 1 : Long.parseLong(current) + 1;
    setMeta("generation", Long.toString(next));
    return next;
  }

  private @Nullable String owner(String sql, Object... args) throws SQLException {
    PreparedStatement ps = c.get(sql);
    bind(ps, args);
    try (ResultSet rs = ps.executeQuery()) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  private void update(String sql, @Nullable Object... args) throws SQLException {
    PreparedStatement ps = c.get(sql);
    bind(ps, args);
    ps.executeUpdate();
  }

  private static void bind(PreparedStatement ps, @Nullable Object... args) throws SQLException {
    for (int i = 0; i < args.length; i++) {
      Object a = args[i];
      switch (a) {
        case null -> ps.setNull(i + 1, java.sql.Types.VARCHAR);
        case String s -> ps.setString(i + 1, s);
        case Integer n -> ps.setLong(i + 1, n);
        case Long n -> ps.setLong(i + 1, n);
        default -> throw new IllegalArgumentException("cannot bind " + a.getClass());
      }
    }
  }
}
