package io.thingport.core.internal.storage;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one writer thread through which every write goes. Writes are serialized (so a device deletion can never race a
 * late property write) and batched: the writer drains whatever is queued, runs it as JDBC batches in one transaction
 * and completes each write's future only after the commit is on disk — the moment a transport may acknowledge a
 * message. An {@link AtomicWrite} is never split across transactions. When a batch fails it is retried in halves, down
 * to single writes, so that one bad write fails alone and a batch with one bad write costs a few transactions, not one
 * per write; before a write is retried alone its probe tells whether it is in the database already (no duplicates).
 *
 * <p>Writes from devices ({@link #write} with {@code bounded}) are bounded: beyond {@code maxQueued} of them waiting,
 * a new one fails at once with {@code UNAVAILABLE}. Operator work and state updates are not bounded here (they are
 * bounded by what causes them). Closing lets the writes queued before it finish and fails the later ones.
 *
 * <p>Several writers may share a database ({@link PartitionedWriters}): they then share the bound on queued device
 * writes, and a {@link Barrier} queued to all of them runs work after every write queued before it on any of them.
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
    private final IntSupplier maxQueued;
    private static final long CHECK_AFTER_IDLE_NANOS = TimeUnit.SECONDS.toNanos(1);
    private final LinkedBlockingQueue<Write> queue = new LinkedBlockingQueue<>();
    /** When the writer's connection last ran a batch (writer thread only). */
    private long lastUsed;
    /** Bounded writes queued and not yet taken, by this writer and by the writers sharing its bound. */
    private final AtomicInteger queuedBounded;
    private final ExecutorService completions;
    private final Thread writer;
    private volatile boolean running = true;

    /** One queued write: an atomic write ({@code unit}), arbitrary {@code work}, or a {@code barrier}. */
    private record Write(AtomicWrite unit, SqlWork<?> work, boolean bounded, CompletableFuture<Object> done, Barrier barrier) {
        Write(AtomicWrite unit, SqlWork<?> work, boolean bounded, CompletableFuture<Object> done) {
            this(unit, work, bounded, done, null);
        }
    }

    private static final Write STOP = new Write(null, null, false, null);

    /** Starts the writer on connections of {@code dataSource}; {@code durableCommit} runs after each commit unless null. */
    BatchWriter(DataSource dataSource, String durableCommit) {
        this(dataSource, durableCommit, () -> Integer.MAX_VALUE);
    }

    /** As {@link #BatchWriter(DataSource, String)}, with at most {@code maxQueued} bounded writes waiting. */
    BatchWriter(DataSource dataSource, String durableCommit, IntSupplier maxQueued) {
        this(dataSource, durableCommit, maxQueued, new AtomicInteger(), "");
    }

    /**
     * A writer that shares {@code queuedBounded} (and so the bound {@code maxQueued}) with other writers; {@code suffix}
     * tells its threads apart.
     */
    BatchWriter(DataSource dataSource, String durableCommit, IntSupplier maxQueued, AtomicInteger queuedBounded, String suffix) {
        this.dataSource = dataSource;
        this.durableCommit = durableCommit;
        this.maxQueued = maxQueued;
        this.queuedBounded = queuedBounded;
        this.completions = Executors.newSingleThreadExecutor(r -> thread(r, "thingport-storage-completion" + suffix));
        this.writer = thread(this::writeLoop, "thingport-storage-writer" + suffix);
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
            releaseBarriers(List.of(w));
            if (w.done() != null) {
                w.done().completeExceptionally(new ThingportException(ErrorCode.INTERNAL, "storage is shutting down"));
            }
        }
    }

    /** Queues one statement, not bounded; the future completes after the transaction that holds it commits. */
    CompletableFuture<Void> append(String sql, Object... params) {
        return write(AtomicWrite.of(sql, params), false).thenApply(x -> null);
    }

    /**
     * Queues an atomic write; the future completes with its outcome once its transaction is durable. A bounded write
     * fails at once with {@code UNAVAILABLE} when {@code maxQueued} bounded writes are waiting already.
     */
    CompletableFuture<WriteOutcome> write(AtomicWrite unit, boolean bounded) {
        CompletableFuture<Object> done = new CompletableFuture<>();
        if (bounded) {
            int limit = maxQueued.getAsInt();
            if (queuedBounded.incrementAndGet() > limit) {
                queuedBounded.decrementAndGet();
                done.completeExceptionally(new ThingportException(ErrorCode.UNAVAILABLE, "the storage queue is full ("
                        + limit + " writes waiting)"));
                return done.thenApply(WriteOutcome.class::cast);
            }
        }
        enqueue(new Write(unit, null, bounded, done));
        return done.thenApply(WriteOutcome.class::cast);
    }

    /** Queues work that runs in the writer's transaction, in order with every other write. */
    @SuppressWarnings("unchecked")
    <T> CompletableFuture<T> submit(SqlWork<T> work) {
        CompletableFuture<Object> done = new CompletableFuture<>();
        enqueue(new Write(null, work, false, done));
        return (CompletableFuture<T>) done;
    }

    /**
     * Queues this writer's part of a barrier: it runs after the writes queued here before it. Callers queue one barrier
     * to every writer sharing it, in the same order on each ({@link PartitionedWriters}).
     */
    void barrier(Barrier barrier) {
        enqueue(new Write(null, null, false, barrier.isRunner(this) ? barrier.done() : null, barrier));
    }

    /** Bounded writes waiting for the writer. */
    int queuedBounded() {
        return queuedBounded.get();
    }

    private void enqueue(Write write) {
        if (!running) {
            taken(write);
            releaseBarriers(List.of(write));
            if (write.done() != null) {
                write.done().completeExceptionally(new ThingportException(ErrorCode.INTERNAL, "storage is shutting down"));
            }
            return;
        }
        queue.add(write);
    }

    private void taken(Write w) {
        if (w.bounded()) {
            queuedBounded.decrementAndGet();
        }
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
                boolean stop = batch.removeIf(w -> w == STOP);
                batch.forEach(this::taken);
                if (connection == null || idleTooLong(lastUsed, System.nanoTime()) && !connection.isValid(2)) {
                    connection = reconnect(connection);
                }
                runSegments(connection, batch);
                lastUsed = System.nanoTime();
                batch.clear();
                if (stop) {
                    break;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (SQLException e) {
                LOG.error("Storage writer cannot reach the database: {}", e.getMessage());
                releaseBarriers(batch);
                fail(batch, e);
                batch.clear();
                connection = closeQuietly(connection);
                pause();
            } catch (RuntimeException | Error e) {
                // Whatever else goes wrong fails this batch, not the writer: a dead writer would leave every later
                // write waiting forever (and every transport paused at its bound).
                LOG.error("Storage writer failed on a batch of {} writes; they fail, the writer goes on", batch.size(), e);
                releaseBarriers(batch);
                fail(batch, e);
                batch.clear();
                connection = closeQuietly(connection);
            }
        }
        closeQuietly(connection);
    }

    /**
     * Runs a drained batch: the writes between barriers as batches, each barrier in its place. The writes of the
     * batch that are done are removed from it (a failure then fails only the rest).
     */
    private void runSegments(Connection connection, List<Write> batch) throws SQLException, InterruptedException {
        while (!batch.isEmpty()) {
            int cut = 0;
            while (cut < batch.size() && batch.get(cut).barrier() == null) {
                cut++;
            }
            List<Write> segment = batch.subList(0, cut);
            if (!segment.isEmpty()) {
                runBatch(connection, segment);
                segment.clear();
                continue;
            }
            Barrier barrier = batch.remove(0).barrier();
            if (barrier.isRunner(this)) {
                runBarrier(connection, barrier);
            } else {
                barrier.arriveAndWait();
            }
        }
    }

    /** The runner's part of a barrier: waits for the other writers to reach it, runs its work, then lets them go on. */
    private void runBarrier(Connection connection, Barrier barrier) throws SQLException, InterruptedException {
        try {
            if (!barrier.awaitOthers()) {
                fail(List.of(new Write(null, null, false, barrier.done())), new ThingportException(ErrorCode.INTERNAL,
                        "the storage writers did not all reach the operation within " + Barrier.WAIT_SECONDS + " s"));
                return;
            }
            Write work = new Write(null, barrier.work(), false, barrier.done());
            try {
                runBatch(connection, List.of(work));
            } catch (SQLException | RuntimeException e) {
                fail(List.of(work), e);
                throw e;
            }
        } finally {
            barrier.release();
        }
    }

    /**
     * Whether a connection unused since {@code lastUsed} is checked before the next batch. A busy writer does not ask
     * (on PostgreSQL the check is a round trip per batch): a connection that broke under load fails its batch, whose
     * writes are then not acknowledged and sent again, and the next batch gets a new connection.
     */
    static boolean idleTooLong(long lastUsed, long now) {
        return now - lastUsed >= CHECK_AFTER_IDLE_NANOS;
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

    /**
     * Runs writes in one transaction and completes them once it is durable. A failed batch is retried in halves; a
     * single write that fails is first looked up with its probe.
     *
     * @throws SQLException when the connection is broken (the caller fails the writes that are left)
     */
    private void runBatch(Connection connection, List<Write> batch) throws SQLException {
        List<Object> results;
        try {
            results = execute(connection, batch);
            commitDurably(connection);
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            if (batch.size() > 1) {
                LOG.debug("A batch of {} writes failed ({}); retrying it in halves", batch.size(), e.getMessage());
                int half = batch.size() / 2;
                runBatch(connection, batch.subList(0, half));
                runBatch(connection, batch.subList(half, batch.size()));
            } else {
                retryAlone(connection, batch.get(0), e);
            }
            return;
        }
        complete(batch, results);
    }

    /** A single write that failed: already in the database (its probe finds it), or failed for good. */
    private void retryAlone(Connection connection, Write w, Exception failure) throws SQLException {
        Sql probe = w.unit() == null ? null : w.unit().probe();
        if (probe != null) {
            try {
                boolean present = !Storage.query(connection, probe.text(), rs -> true, probe.params()).isEmpty();
                if (present) {
                    commitDurably(connection); // the earlier commit may be the one whose durable step failed
                    complete(List.of(w), List.of(WriteOutcome.ALREADY_STORED));
                    return;
                }
                connection.rollback();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                LOG.debug("Probing a failed write failed too: {}", e.getMessage());
            }
        }
        fail(List.of(w), failure);
    }

    private void commitDurably(Connection connection) throws SQLException {
        connection.commit();
        if (durableCommit != null) {
            try (Statement st = connection.createStatement()) {
                st.execute(durableCommit);
            }
        }
    }

    private void complete(List<Write> batch, List<Object> results) {
        List<Write> done = List.copyOf(batch);
        List<Object> values = new ArrayList<>(results);
        completing(() -> {
            for (int i = 0; i < done.size(); i++) {
                done.get(i).done().complete(values.get(i));
            }
        });
    }

    /** A prepared statement collecting a JDBC batch; {@code counts} are set once it ran. */
    private static final class Pending {
        final PreparedStatement statement;
        int added;
        int[] counts;

        Pending(PreparedStatement statement) {
            this.statement = statement;
        }
    }

    /** Where the first statement of an atomic write sits: its batch and its position there. */
    private record FirstRow(Pending pending, int index) {
        WriteOutcome outcome() {
            // Some drivers answer SUCCESS_NO_INFO (-2) for batched rows: taken as applied.
            return pending.counts[index] == 0 ? WriteOutcome.NOT_APPLIED : WriteOutcome.STORED;
        }
    }

    /**
     * A JDBC batch: the same statement text at the same position within its writes. Batches run by position first, so
     * that every write's statements run in their order, whatever texts the other writes of the batch have.
     */
    private record Slot(int position, String text) {
    }

    private static List<Object> execute(Connection connection, List<Write> batch) throws SQLException {
        Map<Slot, Pending> open = new LinkedHashMap<>();
        List<Pending> all = new ArrayList<>();
        List<Object> results = new ArrayList<>(batch.size());
        try {
            for (Write w : batch) {
                if (w.unit() != null) {
                    FirstRow first = null;
                    int position = 0;
                    for (Sql sql : w.unit().statements()) {
                        Slot slot = new Slot(position++, sql.text());
                        Pending p = open.get(slot);
                        if (p == null) {
                            p = new Pending(connection.prepareStatement(sql.text()));
                            open.put(slot, p);
                            all.add(p);
                        }
                        Storage.bind(p.statement, sql.params());
                        p.statement.addBatch();
                        if (first == null) {
                            first = new FirstRow(p, p.added);
                        }
                        p.added++;
                    }
                    results.add(first);
                } else {
                    flush(open);
                    results.add(w.work().apply(connection));
                }
            }
            flush(open);
            for (int i = 0; i < results.size(); i++) {
                if (results.get(i) instanceof FirstRow first) {
                    results.set(i, first.outcome());
                }
            }
            return results;
        } finally {
            for (Pending p : all) {
                p.statement.close();
            }
        }
    }

    private static void flush(Map<Slot, Pending> open) throws SQLException {
        List<Map.Entry<Slot, Pending>> slots = new ArrayList<>(open.entrySet());
        slots.sort(Comparator.comparingInt(e -> e.getKey().position())); // stable: by first use within a position
        for (Map.Entry<Slot, Pending> e : slots) {
            e.getValue().counts = e.getValue().statement.executeBatch();
        }
        open.clear();
    }

    /**
     * Barriers of a batch that failed before reaching them: the runner releases the others (the work fails), another
     * writer arrives at once, so that no writer waits for one that will never come.
     */
    private void releaseBarriers(List<Write> batch) {
        for (Write w : batch) {
            if (w.barrier() != null) {
                if (w.barrier().isRunner(this)) {
                    w.barrier().release();
                } else {
                    w.barrier().arrive();
                }
            }
        }
    }

    private void fail(List<Write> batch, Throwable e) {
        RuntimeException error = Storage.unwrap(e);
        List<Write> failed = List.copyOf(batch);
        completing(() -> failed.stream().filter(w -> w.done() != null).forEach(w -> w.done().completeExceptionally(error)));
    }

    /** Completes futures on the completion thread, or here once that thread is shut down (closing). */
    private void completing(Runnable work) {
        try {
            completions.execute(work);
        } catch (RejectedExecutionException e) {
            work.run();
        }
    }
}
