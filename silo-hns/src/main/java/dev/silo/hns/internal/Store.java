package dev.silo.hns.internal;

import dev.silo.api.HResult;
import dev.silo.api.HnsException;
import dev.silo.hns.spi.DataplaneException;
import dev.silo.hns.spi.Undo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;

/**
 * The desired-state store: one SQLite file in WAL mode, shared by every process that opens the
 * service (runhcs invocations, hnsdiag, the daemon).
 *
 * <p>Each call gets its own connection. Writers start with {@code BEGIN IMMEDIATE}, which takes the
 * database's single write lock up front: two processes can never both read "address .5 is free" and
 * both take it, and no reader-to-writer upgrade can deadlock. {@code busy_timeout} makes a writer
 * wait for the lock instead of failing with SQLITE_BUSY.
 */
public final class Store {
  static final int BUSY_TIMEOUT_MS = 60_000;

  private static final List<String> SCHEMA =
      List.of(
          "CREATE TABLE IF NOT EXISTS objects(kind TEXT NOT NULL, id TEXT NOT NULL, name TEXT,"
              + " parent TEXT, persistent INTEGER NOT NULL, doc TEXT NOT NULL,"
              + " PRIMARY KEY(kind, id))",
          "CREATE UNIQUE INDEX IF NOT EXISTS objects_name ON objects(kind, name)"
              + " WHERE name IS NOT NULL",
          "CREATE INDEX IF NOT EXISTS objects_parent ON objects(kind, parent)",
          "CREATE TABLE IF NOT EXISTS addresses(network TEXT NOT NULL, ip INTEGER NOT NULL,"
              + " endpoint TEXT NOT NULL, PRIMARY KEY(network, ip))",
          "CREATE TABLE IF NOT EXISTS macs(mac INTEGER PRIMARY KEY, endpoint TEXT NOT NULL)",
          "CREATE TABLE IF NOT EXISTS ports(protocol INTEGER NOT NULL, port INTEGER NOT NULL,"
              + " endpoint TEXT NOT NULL, PRIMARY KEY(protocol, port))",
          "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)");

  private final String url;

  /**
   * An idle connection held for the store's lifetime: SQLite checkpoints and truncates the WAL
   * (several fsyncs) whenever the last connection to the file closes, which with a connection per
   * call made every HCN call pay a checkpoint; with this one open, checkpoints happen only every
   * 1000 WAL pages (wal_autocheckpoint).
   */
  @SuppressWarnings("unused")
  private final Connection keeper;

  /** Opens (creating if needed) the database file and its schema. */
  public Store(Path file) throws HnsException {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
    } catch (IOException e) {
      throw HnsException.of("hnsOpenStore", file.toString(), HResult.E_FAIL, e.toString(), e);
    }
    this.url = "jdbc:sqlite:" + file.toAbsolutePath();
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      // WAL is a property of the file: readers never block the writer, and a crash mid-commit
      // leaves the last committed state.
      s.execute("PRAGMA journal_mode=WAL");
      s.execute("BEGIN IMMEDIATE");
      for (String ddl : SCHEMA) {
        s.execute(ddl);
      }
      s.execute("COMMIT");
    } catch (SQLException e) {
      throw HnsException.of("hnsOpenStore", file.toString(), HResult.E_FAIL, e.toString(), e);
    }
    try {
      this.keeper = connect();
    } catch (SQLException e) {
      throw HnsException.of("hnsOpenStore", file.toString(), HResult.E_FAIL, e.toString(), e);
    }
  }

  Connection connect() throws SQLException {
    Properties props = new Properties();
    props.setProperty("busy_timeout", Integer.toString(BUSY_TIMEOUT_MS));
    Connection c = DriverManager.getConnection(url, props);
    try (Statement s = c.createStatement()) {
      s.execute("PRAGMA busy_timeout=" + BUSY_TIMEOUT_MS);
      // NORMAL in WAL mode fsyncs at checkpoints, not at every commit: a committed call survives a
      // crash of the process (the WAL is in the page cache), but a machine crash or power loss may
      // lose the last commits (never corrupt the file). Acceptable for HNS: its state is
      // re-derived by reconcile, and FULL costs one fsync (~5 ms here) per HCN call.
      s.execute("PRAGMA synchronous=NORMAL");
    }
    return c;
  }

  /** One step of a call that reads or writes through a {@link Tx}. */
  @FunctionalInterface
  public interface Body<T> {
    T run(Tx tx) throws HnsException, DataplaneException, SQLException;
  }

  /** Runs a read-only body in a snapshot (deferred transaction). */
  public <T> T read(String op, String id, Body<T> body) throws HnsException {
    return run(op, id, "BEGIN DEFERRED", body);
  }

  /**
   * Runs a mutating body in one {@code BEGIN IMMEDIATE} transaction: on any failure, or a failed
   * commit, the rows roll back and the dataplane undos the body recorded run in reverse.
   */
  public <T> T write(String op, String id, Body<T> body) throws HnsException {
    return run(op, id, "BEGIN IMMEDIATE", body);
  }

  private <T> T run(String op, String id, String begin, Body<T> body) throws HnsException {
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      s.execute(begin);
      Tx tx = new Tx(c);
      try {
        T result = body.run(tx);
        s.execute("COMMIT");
        return result;
      } catch (HnsException | DataplaneException | SQLException | RuntimeException e) {
        rollback(s, tx.undos(), e);
        throw translate(op, id, e);
      }
    } catch (SQLException e) {
      throw HnsException.of(op, id, HResult.E_FAIL, "store: " + e.getMessage(), e);
    }
  }

  private static void rollback(Statement s, List<Undo> undos, Exception failure) {
    try {
      s.execute("ROLLBACK");
    } catch (SQLException e) {
      failure.addSuppressed(e);
    }
    for (int i = undos.size() - 1; i >= 0; i--) {
      try {
        undos.get(i).run();
      } catch (DataplaneException | RuntimeException e) {
        failure.addSuppressed(e);
      }
    }
  }

  private static HnsException translate(String op, String id, Exception e) {
    return switch (e) {
      case HnsException h -> h;
      case DataplaneException d ->
          HnsException.of(op, id, HResult.E_FAIL, "dataplane: " + d.getMessage(), d);
      case SQLException q -> HnsException.of(op, id, HResult.E_FAIL, "store: " + q.getMessage(), q);
      default -> HnsException.of(op, id, HResult.E_FAIL, e.toString(), e);
    };
  }
}
