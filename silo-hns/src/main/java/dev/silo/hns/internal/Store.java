package dev.silo.hns.internal;

import dev.silo.api.HResult;
import dev.silo.api.HnsException;
import dev.silo.hns.spi.DataplaneException;
import dev.silo.hns.spi.StopPoint;
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
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * The desired-state store: one SQLite file in WAL mode, shared by every process that opens the
 * service (runhcs invocations, hnsdiag, the daemon).
 *
 * <p>One connection per open store, used by one call at a time (opening and closing a connection
 * per call cost more than the call: the last close of a WAL database checkpoints it). Writers start
 * with {@code BEGIN IMMEDIATE}, which takes the database's single write lock up front: two
 * processes can never both read "address .5 is free" and both take it, and no reader-to-writer
 * upgrade can deadlock. {@code busy_timeout} makes a writer wait for the lock instead of failing
 * with SQLITE_BUSY.
 *
 * <p>{@code synchronous=NORMAL}: in WAL mode a commit survives a crash of any process (the {@code
 * kill -9} HNS must survive) but the last commits may be lost on power loss. That loss is one the
 * kernel shares (its links and rules are gone after a reboot too), and an fsync per call would cost
 * more than the whole endpoint create.
 */
public final class Store implements AutoCloseable {
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
  private final ReentrantLock lock = new ReentrantLock();
  private @Nullable Statements connection;

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
  }

  Connection connect() throws SQLException {
    Properties props = new Properties();
    props.setProperty("busy_timeout", Integer.toString(BUSY_TIMEOUT_MS));
    // no generated keys are read: without this the driver matches every statement against an
    // INSERT regex and runs "SELECT last_insert_rowid()" after each insert
    props.setProperty("jdbc.get_generated_keys", "false");
    Connection c = DriverManager.getConnection(url, props);
    try (Statement s = c.createStatement()) {
      s.execute("PRAGMA busy_timeout=" + BUSY_TIMEOUT_MS);
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
    lock.lock();
    try {
      Statements s = connection();
      s.execute(begin);
      Tx tx = new Tx(s);
      try {
        T result = body.run(tx);
        boolean write = begin.endsWith("IMMEDIATE");
        if (write) {
          StopPoint.pass(op + " " + id + ": before commit");
        }
        s.execute("COMMIT");
        if (write) {
          StopPoint.pass(op + " " + id + ": after commit");
        }
        return result;
      } catch (HnsException | DataplaneException | SQLException | RuntimeException e) {
        rollback(s, tx.undos(), e);
        throw translate(op, id, e);
      }
    } catch (SQLException e) {
      closeQuietly();
      throw HnsException.of(op, id, HResult.E_FAIL, "store: " + e.getMessage(), e);
    } finally {
      lock.unlock();
    }
  }

  private Statements connection() throws SQLException {
    Statements c = connection;
    if (c == null) {
      c = new Statements(connect());
      connection = c;
    }
    return c;
  }

  /** Closes the connection; a later call opens a new one. */
  @Override
  public void close() {
    lock.lock();
    try {
      closeQuietly();
    } finally {
      lock.unlock();
    }
  }

  private void closeQuietly() {
    Statements c = connection;
    connection = null;
    if (c != null) {
      try {
        c.close();
      } catch (SQLException e) {
        // a broken connection is dropped either way; the next call opens a fresh one
      }
    }
  }

  private static void rollback(Statements s, List<Undo> undos, Exception failure) {
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
