package io.thingport.core.internal.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The batching writer on a database that keeps its data on disk (H2's file database, or PostgreSQL), without
 * migrations. To put writes in one batch, a test first occupies
 * the writer with work that waits on a gate, queues the writes behind it, then opens the gate: the writer drains them
 * together.
 */
@Tag("storage")
class BatchWriterTest {
    private static final String INSERT = "INSERT INTO item (id, name) VALUES (?, ?)";
    private static final Duration WAIT = Duration.ofSeconds(5);

    @TempDir
    Path dir;
    private DataSource dataSource;
    private BatchWriter writer;
    private final CompletableFuture<Void> gate = new CompletableFuture<>();

    @BeforeEach
    void setUp() throws SQLException {
        dataSource = TestDatabase.createOnDisk(dir);
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE item (id INT PRIMARY KEY, name VARCHAR(20) NOT NULL)");
        }
        writer = new BatchWriter(dataSource, TestDatabase.dialect().durableCommit());
    }

    @AfterEach
    void tearDown() {
        gate.complete(null);
        writer.close();
    }

    /** Occupies the writer until {@link #gate} completes; returns once the writer is inside that work. */
    private CompletableFuture<Object> occupyWriter() throws InterruptedException {
        CountDownLatch inside = new CountDownLatch(1);
        CompletableFuture<Object> busy = writer.submit(c -> {
            inside.countDown();
            gate.join();
            return "busy";
        });
        assertThat(inside.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the writer took the blocking work").isTrue();
        return busy;
    }

    private static int count(Connection c) throws SQLException {
        return Storage.query(c, "SELECT COUNT(*) FROM item", rs -> rs.getInt(1)).get(0);
    }

    private int committedCount() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return count(c);
        }
    }

    private List<Integer> committedIds() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return Storage.query(c, "SELECT id FROM item ORDER BY id", rs -> rs.getInt(1));
        }
    }

    @Test
    void writesQueuedTogetherCommitInOneTransaction() throws Exception {
        // Verifies that writes queued while the writer is busy run in one transaction and complete after its commit.
        // GIVEN a busy writer and three inserts plus a probe queued behind it
        CompletableFuture<Object> busy = occupyWriter();
        List<CompletableFuture<Void>> inserts = List.of(writer.append(INSERT, 1, "a"), writer.append(INSERT, 2, "b"),
                writer.append(INSERT, 3, "c"));
        CompletableFuture<int[]> probe = writer.submit(c -> new int[] {count(c), committedCount()});

        // WHEN the writer is free again
        gate.complete(null);

        // THEN the probe, in the writer's transaction, saw the three rows that no other connection could see yet,
        // and every write completed once that transaction committed
        assertThat(busy).succeedsWithin(WAIT).isEqualTo("busy");
        assertThat(probe).succeedsWithin(WAIT).satisfies(seen -> {
            assertThat(seen[0]).as("rows in the writer's transaction").isEqualTo(3);
            assertThat(seen[1]).as("rows committed before the probe").isZero();
        });
        inserts.forEach(f -> assertThat(f).succeedsWithin(WAIT));
        assertThat(committedIds()).containsExactly(1, 2, 3);
    }

    @Test
    void aFailingWriteFailsAloneAndTheOthersOfItsBatchCommit() throws Exception {
        // Verifies that when one write of a batch fails, the batch is retried one by one and only that write fails.
        // GIVEN a busy writer and a batch holding a good insert, a NOT NULL violation, failing work and another good insert
        occupyWriter();
        CompletableFuture<Void> good1 = writer.append(INSERT, 1, "a");
        CompletableFuture<Void> bad = writer.append(INSERT, 2, null);
        CompletableFuture<Object> refused = writer.submit(c -> {
            throw new ThingportException(ErrorCode.CONFLICT, "item 9 already exists");
        });
        CompletableFuture<Void> good2 = writer.append(INSERT, 3, "c");

        // WHEN the writer runs the batch
        gate.complete(null);

        // THEN the good writes commit, the bad insert fails as a storage failure, and the work's own error comes back as it is
        assertThat(good1).succeedsWithin(WAIT);
        assertThat(good2).succeedsWithin(WAIT);
        assertThat(bad).failsWithin(WAIT).withThrowableOfType(Exception.class)
                .havingCause().isInstanceOfSatisfying(ThingportException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL);
                    assertThat(e.getMessage()).startsWith("storage failure: ");
                });
        assertThat(refused).failsWithin(WAIT).withThrowableOfType(Exception.class)
                .havingCause().isInstanceOfSatisfying(ThingportException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT);
                    assertThat(e.getMessage()).isEqualTo("item 9 already exists");
                });
        assertThat(committedIds()).containsExactly(1, 3);
    }

    @Test
    void closeFinishesTheWritesQueuedBeforeItAndFailsLaterOnes() throws Exception {
        // Verifies that closing drains the queue: earlier writes commit, later ones fail at once, and none is left hanging.
        // GIVEN a busy writer with writes queued behind it
        occupyWriter();
        List<CompletableFuture<Void>> queued = List.of(writer.append(INSERT, 1, "a"), writer.append(INSERT, 2, "b"));

        // WHEN close is called (on another thread: it waits for the writer) and the writer is freed once close waits
        Thread closer = new Thread(writer::close, "closer");
        closer.start();
        await().atMost(WAIT).until(() -> closer.getState() == Thread.State.TIMED_WAITING);
        gate.complete(null);

        // THEN close returns, every queued write committed, and a write after close fails clearly without waiting
        closer.join(WAIT.toMillis());
        assertThat(closer.isAlive()).as("close returned").isFalse();
        queued.forEach(f -> assertThat(f).succeedsWithin(WAIT));
        assertThat(committedIds()).containsExactly(1, 2);
        CompletableFuture<Void> late = writer.append(INSERT, 3, "c");
        assertThat(late).isCompletedExceptionally();
        assertThat(late).failsWithin(Duration.ZERO).withThrowableOfType(Exception.class).havingCause()
                .isInstanceOf(ThingportException.class).withMessage("storage is shutting down");
        assertThat(committedCount()).isEqualTo(2);
    }

    @Test
    void aCommitWhoseDurableStepFailedIsNotWrittenTwiceWhenRetried() throws Exception {
        // Verifies idempotent retries (issue 11.15): when the commit went through but making it durable failed, the
        // writer's retry finds the write with its probe and does not insert its rows again; a write without a probe in
        // that batch is retried and, being a plain row, would duplicate: atomic writes carry probes for this.
        // H2 only: the failing durable step is a Java function that H2 calls (PostgreSQL has no durable step).
        assumeTrue(TestDatabase.dialect() == Dialect.H2, "a durable step exists on H2 only");
        // GIVEN a table without a key and a writer whose durable step fails once
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE note (name VARCHAR(20) NOT NULL)");
            st.execute("CREATE ALIAS FLAKY_SYNC FOR '" + FlakyDurableStep.class.getName() + ".sync'");
        }
        writer.close();
        writer = new BatchWriter(dataSource, "CALL FLAKY_SYNC()");
        FlakyDurableStep.FAILURES.set(1);
        AtomicWrite note = new AtomicWrite(List.of(new Sql("INSERT INTO note (name) VALUES (?)", "n1"),
                new Sql("INSERT INTO note (name) VALUES (?)", "n1-part-2")), new Sql("SELECT 1 FROM note WHERE name = ?", "n1"));

        // WHEN the write runs: commit, durable step fails, retry
        CompletableFuture<WriteOutcome> done = writer.write(note, true);

        // THEN it completes once durable, as already stored, and each row is there once
        assertThat(done).succeedsWithin(WAIT).isEqualTo(WriteOutcome.ALREADY_STORED);
        try (Connection c = dataSource.getConnection()) {
            assertThat(Storage.query(c, "SELECT name FROM note ORDER BY name", rs -> rs.getString(1))).containsExactly("n1", "n1-part-2");
        }
        assertThat(FlakyDurableStep.FAILURES.get()).as("the durable step ran again after the failure").isNegative();
    }

    @Test
    void aFailedBatchIsRetriedInHalvesAndAnAtomicWriteIsNeverSplit() throws Exception {
        // Verifies that a batch with one bad atomic write commits every other write whole, and the bad one not at all.
        // GIVEN 20 atomic writes of two rows each queued into one batch, the 13th with a bad second row
        occupyWriter();
        List<CompletableFuture<WriteOutcome>> writes = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            writes.add(writer.write(new AtomicWrite(List.of(new Sql(INSERT, i * 2, "a" + i),
                    new Sql(INSERT, i * 2 + 1, i == 12 ? null : "b" + i)), null), false));
        }

        // WHEN the writer runs them
        gate.complete(null);

        // THEN 19 are stored whole, the bad one fails and left neither of its rows
        for (int i = 0; i < 20; i++) {
            if (i == 12) {
                assertThat(writes.get(i)).failsWithin(WAIT);
            } else {
                assertThat(writes.get(i)).succeedsWithin(WAIT).isEqualTo(WriteOutcome.STORED);
            }
        }
        assertThat(committedCount()).isEqualTo(38);
        assertThat(committedIds()).doesNotContain(24, 25);
    }

    @Test
    void anAtomicWriteWhoseFirstStatementChangesNoRowIsNotApplied() {
        // Verifies NOT_APPLIED: the first statement's row count tells whether the write's condition held.
        AtomicWrite conditional = new AtomicWrite(List.of(new Sql("INSERT INTO item (id, name) SELECT ?, ? FROM item WHERE id = ?", 5, "e",
                99)), null);
        assertThat(writer.write(conditional, false)).succeedsWithin(WAIT).isEqualTo(WriteOutcome.NOT_APPLIED);
        assertThat(writer.write(AtomicWrite.of(INSERT, 99, "x"), false)).succeedsWithin(WAIT).isEqualTo(WriteOutcome.STORED);
        assertThat(writer.write(conditional, false)).succeedsWithin(WAIT).isEqualTo(WriteOutcome.STORED);
    }

    @Test
    void aConnectionThatBrokeIsReplacedCheckedOnlyAfterTheWriterWasIdle() throws Exception {
        // Verifies the connection check: a busy writer does not ask the database before each batch (a round trip on
        // PostgreSQL), so a connection that broke under load fails that batch, not acknowledged, and the next batch
        // gets a new one; a connection that broke while the writer was idle for a second is replaced before use.
        List<Connection> handedOut = new CopyOnWriteArrayList<>();
        DataSource tracking = (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    Object result;
                    try {
                        result = method.invoke(dataSource, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                    if (result instanceof Connection c) {
                        handedOut.add(c);
                    }
                    return result;
                });
        writer.close();
        writer = new BatchWriter(tracking, TestDatabase.dialect().durableCommit());
        assertThat(writer.write(AtomicWrite.of(INSERT, 1, "a"), false)).succeedsWithin(WAIT).isEqualTo(WriteOutcome.STORED);

        // broken while busy: that batch fails, the next one runs on a new connection
        handedOut.get(0).close();
        assertThat(writer.write(AtomicWrite.of(INSERT, 2, "b"), false)).failsWithin(WAIT);
        assertThat(writer.write(AtomicWrite.of(INSERT, 3, "c"), false)).succeedsWithin(WAIT).isEqualTo(WriteOutcome.STORED);
        assertThat(handedOut).hasSize(2);

        // broken while idle: checked and replaced before the batch, which succeeds
        handedOut.get(1).close();
        Thread.sleep(1_100); // past the idle time after which the writer checks its connection
        assertThat(writer.write(AtomicWrite.of(INSERT, 4, "d"), false)).succeedsWithin(WAIT).isEqualTo(WriteOutcome.STORED);
        assertThat(handedOut).hasSize(3);
        assertThat(committedIds()).containsExactly(1, 3, 4);
    }

    @Test
    void theConnectionIsCheckedAfterASecondWithoutABatch() {
        long second = TimeUnit.SECONDS.toNanos(1);
        assertThat(BatchWriter.idleTooLong(0, second - 1)).isFalse();
        assertThat(BatchWriter.idleTooLong(0, second)).isTrue();
        assertThat(BatchWriter.idleTooLong(Long.MAX_VALUE - 10, Long.MIN_VALUE + 10)).as("across the nanoTime wrap").isFalse();
    }

    @Test
    void everyWriteRunsItsStatementsInTheirOrderWhateverTheOtherWritesOfItsBatch() throws Exception {
        // Verifies the order guarantee a dependent statement relies on (a property report selects from its log entry):
        // equal statements of many writes run as one JDBC batch, and the batches run by position within the writes.
        // Here the second write's first statement has a text of its own, and its second statement (shared with the
        // first write) copies the row the first one inserted: run before it, it would copy nothing.
        String copy = "INSERT INTO item (id, name) SELECT ?, name FROM item WHERE id = ?";
        CompletableFuture<Object> busy = occupyWriter();
        CompletableFuture<WriteOutcome> first = writer.write(new AtomicWrite(List.of(new Sql(INSERT, 1, "a"), new Sql(copy, 101, 1)),
                null), false);
        CompletableFuture<WriteOutcome> second = writer.write(new AtomicWrite(List.of(new Sql("INSERT INTO item (name, id) VALUES (?, ?)",
                "b", 2), new Sql(copy, 102, 2)), null), false);
        gate.complete(null);

        assertThat(busy).succeedsWithin(WAIT);
        assertThat(first).succeedsWithin(WAIT).isEqualTo(WriteOutcome.STORED);
        assertThat(second).succeedsWithin(WAIT).isEqualTo(WriteOutcome.STORED);
        assertThat(committedIds()).containsExactly(1, 2, 101, 102);
    }
}
