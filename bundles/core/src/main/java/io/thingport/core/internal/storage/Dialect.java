package io.thingport.core.internal.storage;

import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The databases the platform runs on, and the one place that knows what differs between them. Everything else is
 * written once in SQL that both run.
 */
public enum Dialect {
    /** Embedded H2 (the default): its MVStore writes commits to disk up to a second later unless asked to. */
    H2("H2", "h2", "CHECKPOINT SYNC"),
    /** PostgreSQL: a COMMIT is durable once it returns (with {@code synchronous_commit} on, its default). */
    POSTGRESQL("PostgreSQL", "postgresql", null);

    private final String productName;
    private final String folder;
    private final String durableCommit;

    Dialect(String productName, String folder, String durableCommit) {
        this.productName = productName;
        this.folder = folder;
        this.durableCommit = durableCommit;
    }

    /** What JDBC's {@code DatabaseMetaData.getDatabaseProductName()} answers for this database. */
    public String productName() {
        return productName;
    }

    /**
     * The folder under {@code db/migration/} whose {@code V{n}__{name}.sql} files replace the generic ones of the same
     * name on this database.
     */
    public String migrationFolder() {
        return folder;
    }

    /** A statement to run after each commit to make it durable, or {@code null} when the commit is durable already. */
    public String durableCommit() {
        return durableCommit;
    }

    /**
     * How many writers to run when {@code configured} are asked for: H2 writes one transaction at a time whatever the
     * number of connections (more writers would only queue there), PostgreSQL overlaps the commits of several.
     */
    public int writers(int configured) {
        return this == H2 ? 1 : configured;
    }

    /**
     * The dialect of a database, from its JDBC product name.
     *
     * @throws IllegalStateException for a database the platform does not run on, naming it
     */
    public static Dialect of(String productName) {
        for (Dialect d : values()) {
            if (d.productName.equals(productName)) {
                return d;
            }
        }
        throw new IllegalStateException("the thingport DataSource's database is " + productName + ": Thingport runs on "
                + Arrays.stream(values()).map(Dialect::productName).collect(Collectors.joining(" and ")) + " only");
    }

    /** The dialect of the database behind a connection. */
    public static Dialect of(DatabaseMetaData metaData) throws SQLException {
        return of(metaData.getDatabaseProductName());
    }
}
