package io.thingport.core.internal.storage;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one writer thread through which every write goes. Writes are serialized (so a device deletion can never race a
 * late property write) and batched: the writer drains whatever is queued, runs it as JDBC batches in one transaction
 * and completes each write's future only after the commit is on disk — the moment a transport may acknowledge a
 * message. When a batch fails, its writes are retried one by one so that one bad write fails alone. Closing lets the
 * writes queued before it finish and fails the later ones.
 */
final class BatchWriter {
    private static final Logger LOG = LoggerFactory.getLogger(BatchWriter.class);
    static final int MAX_BATCH = 10_000;

    private final DataSource dataSource;
    /**
     * A statement that makes committed data durable, for databases whose COMMIT does not: H2's MVStore keeps commits
     * in memory and writes them up to a second later, so a crash would lose data that was already acknowledged.
     */
    private final String durableCommit;
    private final LinkedBlockingQueue<Write> queue = new LinkedBlockingQueue<>();
    private final ExecutorService completions = Executors.newSingleThreadExecutor(r -> thread(r, "thingport-storage-completion"));
    private final Thread writer;
    private volatile boolean running = true;

    /** One queued write: either a batched statement ({@code sql} + {@code params}) or arbitrary {@code work}. */
    private record Write(String sql, Object[] params, SqlWork<?> work, CompletableFuture<Object> done) {
    }

    private static final Write STOP = new Write(null, null, null, null);

    /** Starts the writer on connections of {@code dataSource}; {@code durableCommit} runs after each commit unless null. */
    BatchWriter(DataSource dataSource, String durableCommit) {
        this.dataSource = dataSource;
        this.durableCommit = durableCommit;
        this.writer = thread(this::writeLoop, "thingport-storage-writer");
        writer.start();
    }

    private static Thread thread(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Lets the writes queued so far finish (waiting up to 30 s for them) and fails every later one. */
    void close() {
        running = false;
        queue.add(STOP);
        try {
            writer.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        completions.shutdown();
        Write w;
        while ((w = queue.poll()) != null) {
            if (w.done() != null) {
                w.done().completeExceptionally(new ThingportException(ErrorCode.INTERNAL, "storage is shutting down"));
            }
        }
    }

    /** Queues one batched statement; the future completes after the transaction that holds it commits. */
    CompletableFuture<Void> append(String sql, Object... params) {
        CompletableFuture<Object> done = new CompletableFuture<>();
        enqueue(new Write(sql, params, null, done));
        return done.thenApply(x -> null);
    }

    /** Queues work that runs in the writer's transaction, in order with every other write. */
    @SuppressWarnings("unchecked")
    <T> CompletableFuture<T> submit(SqlWork<T> work) {
        CompletableFuture<Object> done = new CompletableFuture<>();
        enqueue(new Write(null, null, work, done));
        return (CompletableFuture<T>) done;
    }

    private void enqueue(Write write) {
        if (!running) {
            write.done().completeExceptionally(new ThingportException(ErrorCode.INTERNAL, "storage is shutting down"));
            return;
        }
        queue.add(write);
    }

    private void writeLoop() {
        List<Write> batch = new ArrayList<>(MAX_BATCH);
        Connection connection = null;
        while (true) {
            try {
                Write first = queue.take();
                if (first == STOP) {
                    break;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                boolean stop = batch.remove(STOP);
                if (connection == null || !connection.isValid(2)) {
                    connection = reconnect(connection);
                }
                runBatch(connection, batch);
                batch.clear();
                if (stop) {
                    break;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (SQLException e) {
                LOG.error("Storage writer cannot reach the database: {}", e.getMessage());
                fail(batch, e);
                batch.clear();
                connection = closeQuietly(connection);
                pause();
            }
        }
        closeQuietly(connection);
    }

    private Connection reconnect(Connection old) throws SQLException {
        closeQuietly(old);
        Connection c = dataSource.getConnection();
        c.setAutoCommit(false);
        return c;
    }

    private static Connection closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                LOG.debug("closing a broken storage connection failed: {}", e.getMessage());
            }
        }
        return null;
    }

    private static void pause() {
        try {
            Thread.sleep(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void runBatch(Connection connection, List<Write> batch) throws SQLException {
        List<Object> results;
        try {
            results = execute(connection, batch);
            connection.commit();
            if (durableCommit != null) {
                try (Statement st = connection.createStatement()) {
                    st.execute(durableCommit);
                }
            }
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            if (batch.size() == 1) {
                fail(batch, e);
                return;
            }
            LOG.debug("A batch of {} writes failed ({}); retrying them one by one", batch.size(), e.getMessage());
            for (Write w : batch) {
                runBatch(connection, List.of(w));
            }
            return;
        }
        List<Write> done = List.copyOf(batch);
        completions.execute(() -> {
            for (int i = 0; i < done.size(); i++) {
                done.get(i).done().complete(results.get(i));
            }
        });
    }

    private static List<Object> execute(Connection connection, List<Write> batch) throws SQLException {
        Map<String, PreparedStatement> pending = new LinkedHashMap<>();
        List<Object> results = new ArrayList<>(batch.size());
        try {
            for (Write w : batch) {
                if (w.sql() != null) {
                    PreparedStatement ps = pending.get(w.sql());
                    if (ps == null) {
                        ps = connection.prepareStatement(w.sql());
                        pending.put(w.sql(), ps);
                    }
                    Storage.bind(ps, w.params());
                    ps.addBatch();
                    results.add(null);
                } else {
                    flush(pending);
                    results.add(w.work().apply(connection));
                }
            }
            flush(pending);
            return results;
        } finally {
            for (PreparedStatement ps : pending.values()) {
                ps.close();
            }
        }
    }

    private static void flush(Map<String, PreparedStatement> pending) throws SQLException {
        for (PreparedStatement ps : pending.values()) {
            ps.executeBatch();
            ps.close();
        }
        pending.clear();
    }

    private void fail(List<Write> batch, Throwable e) {
        RuntimeException error = Storage.unwrap(e);
        List<Write> failed = List.copyOf(batch);
        completions.execute(() -> failed.forEach(w -> w.done().completeExceptionally(error)));
    }
}
