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
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Versioned schema migrations: {@code db/migration/index.txt} lists {@code V{n}__{name}.sql} files in increasing
 * order; each one not yet recorded in {@code schema_version} runs in its own transaction and is recorded with it. A
 * version may be missing from the list (reserved by work not merged yet): when it arrives, a database that already
 * ran the later ones runs it then. A database that recorded a version this build does not know is refused rather than
 * used.
 *
 * <p>Versions increase down the index but may leave gaps: a number reserved for a change still being written elsewhere
 * (issue 15: V14 and V15). When such a migration arrives later, a database that applied the ones after it applies it
 * then, since every migration not recorded runs, not only those above the highest recorded version: a migration must
 * therefore not depend on one with a higher number.
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
            int previous = migrations.isEmpty() ? 0 : migrations.get(migrations.size() - 1).version();
            if (version <= previous) {
                throw new IllegalStateException("migration " + file + " is out of order: expected a version above " + previous);
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
            Set<Integer> applied = new HashSet<>();
            try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery("SELECT version FROM schema_version")) {
                while (rs.next()) {
                    applied.add(rs.getInt(1));
                }
            }
            Set<Integer> known = migrations.stream().map(Migration::version).collect(Collectors.toSet());
            int current = applied.stream().mapToInt(Integer::intValue).max().orElse(0);
            List<Integer> unknown = applied.stream().filter(v -> !known.contains(v)).sorted().toList();
            if (!unknown.isEmpty()) {
                throw new IllegalStateException("the database schema is at version " + current + " but this build does not know"
                        + " version(s) " + unknown + ": it was written by a newer Thingport");
            }
            for (Migration m : migrations) {
                if (applied.contains(m.version())) {
                    continue;
                }
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
                current = Math.max(current, m.version());
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
