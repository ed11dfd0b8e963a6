package io.thingport.core.internal.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several writers on one database: a partition's writes stay in order on one writer, writes of other partitions do not
 * wait for it, and work without a partition runs after everything queued before it on every writer.
 */
@Tag(TestDatabase.TAG)
class PartitionedWritersTest {
    private static final int WRITERS = 4;

    @TempDir
    Path dir;
    private DataSource dataSource;
    private PartitionedWriters writers;
    private final CompletableFuture<Void> gate = new CompletableFuture<>();

    @BeforeEach
    void setUp() throws SQLException {
        dataSource = TestDatabase.createOnDisk(dir);
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE item (id INT PRIMARY KEY, part VARCHAR(20) NOT NULL)");
        }
        writers = new PartitionedWriters(dataSource, null, () -> 6, WRITERS);
    }

    @AfterEach
    void tearDown() {
        gate.complete(null);
        writers.close();
    }

    /** Two partition names that land on different writers. */
    private static List<String> partitionsOnDistinctWriters(int count) {
        List<String> out = new ArrayList<>();
        List<Integer> used = new ArrayList<>();
        for (int i = 0; out.size() < count; i++) {
            int index = PartitionedWriters.index("dev-" + i, WRITERS);
            if (!used.contains(index)) {
                used.add(index);
                out.add("dev-" + i);
            }
        }
        return out;
    }

    private CompletableFuture<Object> occupy(String partition, CountDownLatch inside) {
        return writers.submit(partition, c -> {
            inside.countDown();
            gate.join();
            return "busy";
        });
    }

    private CompletableFuture<WriteOutcome> insert(int id, String partition) {
        return writers.write(new AtomicWrite(List.of(new Sql("INSERT INTO item (id, part) VALUES (?, ?)", id, partition)), null,
                partition), false);
    }

    @Test
    void aBusyWriterDoesNotHoldUpTheOtherPartitions() throws Exception {
        List<String> parts = partitionsOnDistinctWriters(2);
        CountDownLatch inside = new CountDownLatch(1);
        CompletableFuture<Object> busy = occupy(parts.get(0), inside);
        assertThat(inside.await(5, TimeUnit.SECONDS)).isTrue();

        CompletableFuture<WriteOutcome> blocked = insert(1, parts.get(0));
        CompletableFuture<WriteOutcome> free = insert(2, parts.get(1));

        assertThat(free.get(5, TimeUnit.SECONDS)).isEqualTo(WriteOutcome.STORED);
        assertThat(blocked).isNotDone();
        gate.complete(null);
        assertThat(busy.get(5, TimeUnit.SECONDS)).isEqualTo("busy");
        assertThat(blocked.get(5, TimeUnit.SECONDS)).isEqualTo(WriteOutcome.STORED);
    }

    @Test
    void workWithoutAPartitionRunsAfterEveryWriteQueuedBeforeIt() throws Exception {
        List<String> parts = partitionsOnDistinctWriters(WRITERS);
        CountDownLatch inside = new CountDownLatch(1);
        occupy(parts.get(2), inside);
        assertThat(inside.await(5, TimeUnit.SECONDS)).isTrue();
        List<CompletableFuture<WriteOutcome>> writes = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            writes.add(insert(i, parts.get(i % WRITERS)));
        }

        CompletableFuture<Integer> count = writers.submit(c -> Storage.query(c, "SELECT COUNT(*) FROM item", rs -> rs.getInt(1)).get(0));
        // Queued after the barrier: waits for it even on a writer that had nothing to do.
        CompletableFuture<WriteOutcome> later = insert(100, parts.get(0));

        Thread.sleep(300);
        assertThat(count).as("the barrier waits for the writer that is still busy").isNotDone();
        assertThat(later).isNotDone();
        gate.complete(null);
        assertThat(count.get(5, TimeUnit.SECONDS)).as("every write queued before the work is in").isEqualTo(40);
        assertThat(later.get(5, TimeUnit.SECONDS)).isEqualTo(WriteOutcome.STORED);
        for (CompletableFuture<WriteOutcome> w : writes) {
            assertThat(w.get(5, TimeUnit.SECONDS)).isEqualTo(WriteOutcome.STORED);
        }
    }

    @Test
    void barriersQueuedFromManyThreadsAtOnceAllRun() throws Exception {
        List<CompletableFuture<Integer>> all = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int base = t * 100;
            Thread thread = new Thread(() -> {
                for (int i = 0; i < 20; i++) {
                    int id = base + i;
                    synchronized (all) {
                        all.add(writers.submit(c -> Storage.update(c, "INSERT INTO item (id, part) VALUES (?, 'x')", id)));
                    }
                    insert(10_000 + id, "dev-" + id);
                }
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        for (CompletableFuture<Integer> f : all) {
            assertThat(f.get(10, TimeUnit.SECONDS)).isEqualTo(1);
        }
        assertThat(writers.submit(c -> Storage.query(c, "SELECT COUNT(*) FROM item", rs -> rs.getInt(1)).get(0)).get(10, TimeUnit.SECONDS))
                .isEqualTo(320);
    }

    @Test
    void failedWorkAtABarrierFailsAloneAndTheWritersGoOn() throws Exception {
        CompletableFuture<Object> failed = writers.submit(c -> {
            throw new SQLException("no such thing");
        });
        assertThatThrownBy(() -> failed.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasMessageContaining("no such thing");
        for (String part : partitionsOnDistinctWriters(WRITERS)) {
            assertThat(insert(part.hashCode() & 0xffff, part).get(5, TimeUnit.SECONDS)).isEqualTo(WriteOutcome.STORED);
        }
    }

    @Test
    void theWritersShareOneBoundOnQueuedDeviceWrites() throws Exception {
        List<String> parts = partitionsOnDistinctWriters(WRITERS);
        List<CountDownLatch> inside = new ArrayList<>();
        for (String part : parts) {
            CountDownLatch latch = new CountDownLatch(1);
            inside.add(latch);
            occupy(part, latch);
        }
        for (CountDownLatch latch : inside) {
            assertThat(latch.await(5, TimeUnit.SECONDS)).isTrue();
        }
        List<CompletableFuture<WriteOutcome>> queued = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            queued.add(writers.write(new AtomicWrite(List.of(new Sql("INSERT INTO item (id, part) VALUES (?, 'b')", i)), null,
                    parts.get(i % WRITERS)), true));
        }
        CompletableFuture<WriteOutcome> seventh = writers.write(new AtomicWrite(List.of(new Sql("INSERT INTO item (id, part)"
                + " VALUES (99, 'b')")), null, parts.get(3)), true);
        assertThatThrownBy(() -> seventh.get(1, TimeUnit.SECONDS)).hasCauseInstanceOf(ThingportException.class)
                .cause().matches(e -> ((ThingportException) e).code() == ErrorCode.UNAVAILABLE, "UNAVAILABLE")
                .hasMessageContaining("6 writes waiting");
        gate.complete(null);
        for (CompletableFuture<WriteOutcome> w : queued) {
            assertThat(w.get(5, TimeUnit.SECONDS)).isEqualTo(WriteOutcome.STORED);
        }
        assertThat(writers.queuedBounded()).isZero();
    }

    @Test
    void aPartitionAlwaysGoesToTheSameWriter() {
        assertThat(PartitionedWriters.index("dev-7", WRITERS)).isEqualTo(PartitionedWriters.index("dev-7", WRITERS))
                .isBetween(0, WRITERS - 1);
        assertThat(writers.writer(null)).isSameAs(writers.writer(null));
        assertThatThrownBy(() -> new PartitionedWriters(dataSource, null, () -> 1, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one writer");
    }
}
