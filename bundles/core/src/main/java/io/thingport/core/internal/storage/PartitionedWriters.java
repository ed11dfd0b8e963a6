package io.thingport.core.internal.storage;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import javax.sql.DataSource;

/**
 * One or more {@link BatchWriter}s on one database, each with its own connection. A write with a partition (a device
 * id) always goes to the same writer, so one device's writes stay in order and commit in order; writes of different
 * devices commit in parallel, which a server database turns into throughput (PostgreSQL overlaps their commits) and an
 * embedded one does not (H2 runs one writer). Work without a partition runs after everything queued before it on every
 * writer ({@link Barrier}): an operator's deletion can never race a device's write queued earlier.
 */
final class PartitionedWriters {
    private final List<BatchWriter> writers;
    /** Queues a barrier to every writer in the same order (two barriers queued in different orders would deadlock). */
    private final Object barrierOrder = new Object();

    PartitionedWriters(DataSource dataSource, String durableCommit, IntSupplier maxQueued, int count) {
        if (count < 1) {
            throw new IllegalArgumentException("at least one writer, not " + count);
        }
        AtomicInteger queuedBounded = new AtomicInteger();
        List<BatchWriter> list = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            list.add(new BatchWriter(dataSource, durableCommit, maxQueued, queuedBounded, count == 1 ? "" : "-" + i));
        }
        writers = List.copyOf(list);
    }

    int count() {
        return writers.size();
    }

    /** The writer of a partition; without one (null), the first. */
    BatchWriter writer(String partition) {
        return partition == null ? writers.get(0) : writers.get(index(partition, writers.size()));
    }

    /** Which of {@code count} writers takes a partition: the same one every time. */
    static int index(String partition, int count) {
        return Math.floorMod(partition.hashCode(), count);
    }

    CompletableFuture<WriteOutcome> write(AtomicWrite write, boolean bounded) {
        return writer(write.partition()).write(write, bounded);
    }

    /** Work after every write queued so far on any writer, in a transaction of its own. */
    @SuppressWarnings("unchecked")
    <T> CompletableFuture<T> submit(SqlWork<T> work) {
        if (writers.size() == 1) {
            return writers.get(0).submit(work);
        }
        Barrier barrier = new Barrier(writers.get(0), writers.size(), work);
        synchronized (barrierOrder) {
            writers.forEach(w -> w.barrier(barrier));
        }
        return (CompletableFuture<T>) barrier.done();
    }

    /** Work in order with the writes of one partition only. */
    <T> CompletableFuture<T> submit(String partition, SqlWork<T> work) {
        return writer(partition).submit(work);
    }

    /** Bounded writes waiting, all writers together. */
    int queuedBounded() {
        return writers.get(0).queuedBounded();
    }

    /** Lets every writer finish what is queued, then stops them. */
    void close() {
        synchronized (barrierOrder) {
            writers.forEach(BatchWriter::close);
        }
    }
}
