package io.thingport.core.internal.storage;

import java.sql.Connection;
import java.sql.SQLException;

/** A unit of JDBC work on a connection the caller owns (no commit/rollback inside). */
@FunctionalInterface
public interface SqlWork<T> {
    T apply(Connection connection) throws SQLException;
}
