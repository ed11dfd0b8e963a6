package io.thingport.core.internal.storage;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Versioned schema migrations: {@code db/migration/index.txt} lists {@code V{n}__{name}.sql} files in order; each
 * one not yet recorded in {@code schema_version} runs in its own transaction and is recorded with it. A database
 * whose recorded version is newer than this build knows is refused rather than used.
 *
 * <p>The same migrations run on every database: where a generic file cannot (a type or statement one database lacks),
 * {@code db/migration/<dialect folder>/V{n}__{name}.sql} replaces it on that database ({@link Dialect#migrationFolder()}).
 * Released files are never edited, generic or not: databases in use already applied them.
 */
final class Migrations {
    private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);
    private static final String ROOT = "db/migration/";

    private Migrations() {
    }

    record Migration(int version, String name, String sql) {
    }

    /** The migrations listed in the index, each from the dialect's folder where it has its own version of the file. */
    static List<Migration> load(ClassLoader loader, Dialect dialect) {
        List<Migration> migrations = new ArrayList<>();
        for (String file : lines(loader, ROOT + "index.txt")) {
            int sep = file.indexOf("__");
            if (!file.startsWith("V") || sep < 2 || !file.endsWith(".sql")) {
                throw new IllegalStateException("migration file name " + file + " must look like V{n}__{name}.sql");
            }
            int version = Integer.parseInt(file.substring(1, sep));
            if (version != migrations.size() + 1) {
                throw new IllegalStateException("migration " + file + " is out of order: expected version " + (migrations.size() + 1));
            }
            String own = ROOT + dialect.migrationFolder() + "/" + file;
            String sql = String.join("\n", lines(loader, loader.getResource(own) != null ? own : ROOT + file));
            migrations.add(new Migration(version, file.substring(sep + 2, file.length() - 4), sql));
        }
        return migrations;
    }

    private static List<String> lines(ClassLoader loader, String resource) {
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines()
                    .filter(l -> !l.isBlank() && !l.startsWith("#") && !l.startsWith("--"))
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + resource, e);
        }
    }

    /** Applies the missing migrations and returns the schema version now in place. */
    static int migrate(Connection connection, List<Migration> migrations) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try {
            try (Statement st = connection.createStatement()) {
                st.execute("CREATE TABLE IF NOT EXISTS schema_version (version INT PRIMARY KEY, name VARCHAR(200) NOT NULL,"
                        + " applied_at BIGINT NOT NULL)");
            }
            connection.commit();
            int current = 0;
            try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery("SELECT MAX(version) FROM schema_version")) {
                if (rs.next()) {
                    current = rs.getInt(1);
                }
            }
            if (current > migrations.size()) {
                throw new IllegalStateException("the database schema is at version " + current + " but this build knows only "
                        + migrations.size() + ": it was written by a newer Thingport");
            }
            for (Migration m : migrations.subList(current, migrations.size())) {
                try (Statement st = connection.createStatement()) {
                    for (String statement : m.sql().split(";")) {
                        if (!statement.isBlank()) {
                            st.execute(statement);
                        }
                    }
                }
                try (PreparedStatement ps = connection.prepareStatement("INSERT INTO schema_version VALUES (?, ?, ?)")) {
                    ps.setInt(1, m.version());
                    ps.setString(2, m.name());
                    ps.setLong(3, System.currentTimeMillis());
                    ps.executeUpdate();
                }
                connection.commit();
                LOG.info("Applied schema migration V{} {}", m.version(), m.name());
                current = m.version();
            }
            return current;
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }
}
