package io.thingport.core.internal.storage;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntConsumer;
import javax.sql.DataSource;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * The platform's storage: the {@code thingport} DataSource, its schema migrations, reads on pooled connections, and
 * the writers through which every write goes, batched ({@link BatchWriter}); a write's future completes only after its
 * commit is on disk. H2 gets one writer; a server database {@code writer.threads}, each device's writes on one of them
 * ({@link PartitionedWriters}).
 */
@Component(service = Storage.class)
public final class Storage {
    private static final long ADMIN_TIMEOUT_SECONDS = 60;

    private final DataSource dataSource;
    private final Dialect dialect;
    private final int schemaVersion;
    private final PartitionedWriters writers;

    /** Storage with the default settings (tests). */
    public Storage(DataSource dataSource) {
        this(dataSource, new StorageConfiguration(Map.of()));
    }

    @Activate
    public Storage(@Reference(target = "(dataSourceName=thingport)") DataSource dataSource,
                   @Reference StorageConfiguration configuration) {
        this.dataSource = dataSource;
        try (Connection c = dataSource.getConnection()) {
            dialect = Dialect.of(c.getMetaData());
            schemaVersion = Migrations.migrate(c, Migrations.load(Storage.class.getClassLoader(), dialect));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot prepare the thingport database: " + e.getMessage(), e);
        }
        writers = new PartitionedWriters(dataSource, dialect.durableCommit(), () -> configuration.settings().writerMaxQueuedWrites(),
                dialect.writers(configuration.settings().writerThreads()));
    }

    /** The database the platform runs on. */
    public Dialect dialect() {
        return dialect;
    }

    /** How many writers run (1 on H2). */
    public int writerCount() {
        return writers.count();
    }

    public int schemaVersion() {
        return schemaVersion;
    }

    @Deactivate
    public void close() {
        writers.close();
    }

    /** Queues one batched statement (on the first writer); the future completes after the transaction that holds it commits. */
    public CompletableFuture<Void> append(String sql, Object... params) {
        return writers.writer(null).append(sql, params);
    }

    /**
     * Queues an atomic write (statements that commit together or not at all); the future completes with its outcome
     * once its transaction is durable. {@code fromDevice}: the write is one of the bounded ones — when
     * {@code writer.maxQueuedWrites} of them are waiting it fails at once with {@code UNAVAILABLE} instead.
     */
    public CompletableFuture<WriteOutcome> write(AtomicWrite write, boolean fromDevice) {
        return writers.write(write, fromDevice);
    }

    /** Queues work that runs in a writer's transaction after every write queued before it, on any writer. */
    public <T> CompletableFuture<T> submit(SqlWork<T> work) {
        return writers.submit(work);
    }

    /**
     * Queues work that runs in order with the writes of one partition (a device id) only: cheaper than
     * {@link #submit(SqlWork)} when there are several writers, for work that concerns that device's rows alone.
     */
    public <T> CompletableFuture<T> submit(String partition, SqlWork<T> work) {
        return writers.submit(partition, work);
    }

    /**
     * Runs work in the writer's transaction and waits for it: for operator actions (create, delete, ...), never on a
     * network thread. A {@link ThingportException} thrown by the work is rethrown as it is.
     */
    public <T> T transaction(SqlWork<T> work) {
        return await(submit(work));
    }

    /** As {@link #transaction(SqlWork)}, in order with the writes of one partition only ({@link #submit(String, SqlWork)}). */
    public <T> T transaction(String partition, SqlWork<T> work) {
        return await(submit(partition, work));
    }

    private static <T> T await(CompletableFuture<T> pending) {
        try {
            return pending.get(ADMIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw unwrap(e.getCause());
        } catch (TimeoutException e) {
            throw new ThingportException(ErrorCode.INTERNAL, "storage did not answer within " + ADMIN_TIMEOUT_SECONDS + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ThingportException(ErrorCode.INTERNAL, "interrupted while waiting for storage");
        }
    }

    /**
     * As {@link #transaction(SqlWork)} for long work that reports how far it has come: {@code listener} hears each report
     * on the calling thread, the values growing only. Waits as long as the work keeps reporting: not 60 s in all
     * as {@link #transaction(SqlWork)}, but 60 s without a report. When the caller gives up — no report
     * for that long, {@code listener} throws (that is thrown), the thread is interrupted — the work is rolled back
     * ({@link ProgressRelay}): a failure always means nothing was stored.
     */
    public <T> T transaction(ReportingWork<T> work, IntConsumer listener) {
        ProgressRelay relay = new ProgressRelay(Duration.ofSeconds(ADMIN_TIMEOUT_SECONDS));
        return relay.await(submit(relay.wrap(work)), listener);
    }

    /** Turns a storage failure into the exception callers see. */
    public static RuntimeException unwrap(Throwable t) {
        Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
        if (cause instanceof ThingportException te) {
            return te;
        }
        return new ThingportException(ErrorCode.INTERNAL, "storage failure: " + cause.getMessage(), cause);
    }

    /** Reads on a pooled connection, outside the writer (reads never wait for queued writes). */
    public <T> T read(SqlWork<T> work) {
        try (Connection c = dataSource.getConnection()) {
            return work.apply(c);
        } catch (SQLException e) {
            throw new ThingportException(ErrorCode.INTERNAL, "storage failure: " + e.getMessage(), e);
        }
    }

    /**
     * Reserves {@code count} consecutive ids of the sequence {@code name} (a row of {@code id_block}) in a transaction of
     * its own, outside the writer, and returns the first: nodes sharing the database never get the same id.
     */
    public long reserve(String name, int count) {
        return read(c -> {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                if (update(c, "UPDATE id_block SET next_id = next_id + ? WHERE name = ?", count, name) != 1) {
                    throw new SQLException("no id sequence " + name + " in id_block");
                }
                long next = query(c, "SELECT next_id FROM id_block WHERE name = ?", rs -> rs.getLong(1), name).get(0);
                c.commit();
                return next - count;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
        });
    }

    public <T> List<T> query(String sql, RowMapper<T> mapper, Object... params) {
        return read(c -> query(c, sql, mapper, params));
    }

    public <T> Optional<T> queryOne(String sql, RowMapper<T> mapper, Object... params) {
        List<T> rows = query(sql, mapper, params);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    public static <T> List<T> query(Connection c, String sql, RowMapper<T> mapper, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                List<T> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(mapper.map(rs));
                }
                return out;
            }
        }
    }

    /** Runs one statement for each of {@code rows} as one JDBC batch. */
    public static void updateBatch(Connection c, String sql, List<Object[]> rows) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (Object[] params : rows) {
                bind(ps, params);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    public static int update(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            return ps.executeUpdate();
        }
    }

    /**
     * Binds the parameters of a statement. A NUL character in a text value becomes U+FFFD (the replacement character):
     * PostgreSQL's text cannot hold NUL, and a value must be stored alike on every database, not refused by one.
     */
    static void bind(PreparedStatement ps, Object[] params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            if (params[i] instanceof String text && text.indexOf('\0') >= 0) {
                ps.setString(i + 1, text.replace('\0', '\uFFFD'));
            } else {
                ps.setObject(i + 1, params[i]);
            }
        }
    }
}
