package io.thingport.testsupport;

import java.sql.SQLException;
import javax.sql.DataSource;
import org.mariadb.jdbc.MariaDbDataSource;

/**
 * One empty database of a {@link MariaDbServer}, with a user of its own that has every privilege on it and on nothing else.
 *
 * @param host     the address the server listens on (loopback)
 * @param port     its TCP port
 * @param name     the database's name
 * @param user     the database's user
 * @param password that user's password
 */
public record MariaDbDatabase(String host, int port, String name, String user, String password) {
    /** The JDBC URL of the database (MariaDB Connector/J). */
    public String jdbcUrl() {
        return "jdbc:mariadb://" + host + ":" + port + "/" + name;
    }

    /** A DataSource on the database as its user (no pool: each {@code getConnection} opens a new connection). */
    public DataSource dataSource() {
        try {
            MariaDbDataSource ds = new MariaDbDataSource(jdbcUrl());
            ds.setUser(user);
            ds.setPassword(password);
            return ds;
        } catch (SQLException e) {
            throw new IllegalStateException("MariaDB Connector/J refuses " + jdbcUrl() + ": " + e.getMessage(), e);
        }
    }
}
