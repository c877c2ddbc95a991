package io.olares.secrets.vault.internal;

import java.sql.Connection;
import java.sql.SQLException;

/** A unit of work on one connection, run inside a transaction by {@link Database}. */
@FunctionalInterface
public interface SqlWork<T> {
  /** Runs against {@code connection}; must not commit, roll back or close it. */
  T run(Connection connection) throws SQLException;
}
