package dev.silo.hns.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * The prepared statements of one store connection, each prepared once: SQLite's prepare was a
 * visible part of every call (a load balancer change runs about ten statements), and of every row
 * of a 10 000-object batch. Used by one call at a time, like the connection; closed with it.
 */
final class Statements implements AutoCloseable {
  private final Connection c;
  private final Map<String, PreparedStatement> bySql = new HashMap<>();

  Statements(Connection c) {
    this.c = c;
  }

  Connection connection() {
    return c;
  }

  /** The statement for {@code sql}, prepared on first use; its parameters are set by the caller. */
  PreparedStatement get(String sql) throws SQLException {
    PreparedStatement ps = bySql.get(sql);
    if (ps == null) {
      ps = c.prepareStatement(sql);
      bySql.put(sql, ps);
    }
    return ps;
  }

  /** Runs a statement without parameters or results ({@code BEGIN}, {@code COMMIT}). */
  void execute(String sql) throws SQLException {
    get(sql).execute();
  }

  /** Closes the statements and the connection. */
  @Override
  public void close() throws SQLException {
    SQLException first = null;
    for (PreparedStatement ps : bySql.values()) {
      try {
        ps.close();
      } catch (SQLException e) {
        first = first == null ? e : first;
      }
    }
    bySql.clear();
    c.close();
    if (first != null) {
      throw first;
    }
  }
}
