package io.thingport.testsupport;

import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * One empty database of a {@link PostgresCluster}, owned by the cluster's superuser.
 *
 * @param host     the address the cluster listens on (loopback)
 * @param port     its TCP port
 * @param name     the database's name
 * @param user     the user to log in as
 * @param password that user's password (scram-sha-256)
 */
public record PostgresDatabase(String host, int port, String name, String user, String password) {
    /** The JDBC URL of the database. */
    public String url() {
        return "jdbc:postgresql://" + host + ":" + port + "/" + name;
    }

    /** A DataSource on the database (no pool: each {@code getConnection} opens a new connection). */
    public DataSource dataSource() {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(url());
        ds.setUser(user);
        ds.setPassword(password);
        return ds;
    }
}
