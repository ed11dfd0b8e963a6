package io.thingport.core.internal.storage;

import io.thingport.testsupport.PostgresCluster;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Tag;

/**
 * Where every test that touches storage gets its database: a new empty one per call, on the backend that the system
 * property {@value #PROPERTY} names — {@code h2} (the default: in-memory H2) or {@code postgresql} (a new database in
 * this JVM's throw-away PostgreSQL 15 cluster, {@link PostgresCluster#shared()}). The build runs the tests tagged
 * {@value #TAG} once per backend (bundles/core/pom.xml), so a test that calls this factory must carry
 * {@code @Tag("storage")}: the factory refuses an untagged caller, which would run on H2 and PostgreSQL only.
 */
public final class TestDatabase {
    public static final String PROPERTY = "thingport.test.db";
    public static final String TAG = "storage";

    private TestDatabase() {
    }

    /** The backend of this run. */
    /** The newest schema version this build's migrations reach (the last one listed). */
    public static int latestSchemaVersion() {
        List<Migrations.Migration> all = Migrations.load(Storage.class.getClassLoader(), dialect());
        return all.get(all.size() - 1).version();
    }

    public static Dialect dialect() {
        String name = System.getProperty(PROPERTY, "h2");
        return switch (name) {
            case "h2" -> Dialect.H2;
            case "postgresql" -> Dialect.POSTGRESQL;
            default -> throw new IllegalStateException("-D" + PROPERTY + "=" + name + ": the test backends are h2 and postgresql");
        };
    }

    /** A new empty database of this run's backend. */
    public static DataSource create() {
        requireStorageTag();
        return switch (dialect()) {
            case H2 -> h2("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
            case POSTGRESQL -> PostgresCluster.shared().createDatabase().dataSource();
        };
    }

    /**
     * A new empty database that keeps its data on disk: on H2 a file database in {@code dir} (the in-memory one has no
     * disk to make commits durable on), on PostgreSQL the same as {@link #create()}.
     */
    public static DataSource createOnDisk(Path dir) {
        requireStorageTag();
        return switch (dialect()) {
            case H2 -> h2("jdbc:h2:file:" + dir.resolve("db").toAbsolutePath());
            case POSTGRESQL -> create();
        };
    }

    private static DataSource h2(String url) {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL(url);
        return ds;
    }

    /** Fails unless a test class on the calling thread's stack is tagged {@value #TAG}. */
    private static void requireStorageTag() {
        boolean tagged = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE)
                .walk(frames -> frames.map(StackWalker.StackFrame::getDeclaringClass).anyMatch(TestDatabase::isStorageTest));
        if (!tagged) {
            throw new IllegalStateException("a test that uses a database must be tagged @Tag(\"" + TAG + "\") so that it runs on "
                    + "PostgreSQL as well as on H2");
        }
    }

    private static boolean isStorageTest(Class<?> c) {
        for (Class<?> k = c; k != null; k = k.getEnclosingClass()) {
            if (Arrays.stream(k.getAnnotationsByType(Tag.class)).anyMatch(t -> TAG.equals(t.value()))) {
                return true;
            }
        }
        return false;
    }
}
