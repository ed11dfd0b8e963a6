package io.thingport.core.internal.retention;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.core.internal.retention.PurgeSelection.Retention;
import io.thingport.core.internal.retention.PurgeSelection.Row;
import io.thingport.core.internal.retention.RetainedRows.Group;
import io.thingport.core.internal.storage.Storage;
import io.thingport.core.internal.storage.StorageConfiguration;
import io.thingport.core.internal.storage.StorageSettings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the device log, the property history, the access log and the system log within their retention
 * ({@code etc/io.thingport.storage.cfg}): every {@code purge.intervalMinutes} it walks each table's groups on read
 * connections, picks the rows to go ({@link PurgeSelection}) and deletes them through the storage writer, at most
 * {@code purge.batchSize} rows per transaction and one transaction at a time, pausing after each: writes queued
 * meanwhile wait for one short transaction at most, and the purge never holds a lock the writer waits on. A run that
 * removed something says so in one INFO line.
 */
@Component(service = RetentionPurge.class, immediate = true)
public final class RetentionPurge {
    private static final Logger LOG = LoggerFactory.getLogger(RetentionPurge.class);
    /** The pause after each delete transaction, which spreads a large purge out. */
    static final long PAUSE_MILLIS = 50;
    /** How often the timer checks whether a run is due (and picks up a changed interval). */
    private static final long CHECK_SECONDS = 60;
    private static final long DELETE_TIMEOUT_SECONDS = 60;

    private final Storage storage;
    private final StorageConfiguration config;
    private final LongSupplier clock;
    private final long pauseMillis;
    private final List<RetainedRows> tables = List.of(new DeviceLogRows(), new PropertyReportRows(), LogTableRows.accessLog(),
            LogTableRows.systemLog(), LogTableRows.alarms(), LogTableRows.commandQueue());
    private final ScheduledExecutorService timer;
    private volatile boolean running = true;
    private long lastRun;
    private boolean ranOnce;

    /**
     * What one run removed.
     *
     * @param removed            rows removed per table, by {@link RetainedRows#name()}
     * @param transactions       the delete transactions it took
     * @param largestTransaction the most rows one of them deleted
     */
    record Report(Map<String, Long> removed, int transactions, int largestTransaction, long millis) {
        long total() {
            return removed.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** The delete transactions of a run so far. */
    private static final class Transactions {
        int count;
        int largest;

        void add(int rows) {
            count++;
            largest = Math.max(largest, rows);
        }
    }

    @Activate
    public RetentionPurge(@Reference Storage storage, @Reference StorageConfiguration config) {
        this(storage, config, System::currentTimeMillis, PAUSE_MILLIS);
        timer.scheduleWithFixedDelay(this::tick, CHECK_SECONDS, CHECK_SECONDS, TimeUnit.SECONDS);
    }

    /** Without a timer: the test calls {@link #run()}, with its clock (epoch milliseconds) and pause. */
    RetentionPurge(Storage storage, StorageConfiguration config, LongSupplier clock, long pauseMillis) {
        this.storage = storage;
        this.config = config;
        this.clock = clock;
        this.pauseMillis = pauseMillis;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "thingport-retention-purge");
            t.setDaemon(true);
            return t;
        });
    }

    @Deactivate
    void close() {
        running = false;
        timer.shutdownNow();
        try {
            timer.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void tick() {
        long now = clock.getAsLong();
        if (ranOnce && now - lastRun < config.settings().purgeInterval().toMillis()) {
            return;
        }
        ranOnce = true;
        lastRun = now;
        try {
            run();
        } catch (RuntimeException e) {
            LOG.warn("The retention purge failed and runs again in {}: {}", config.settings().purgeInterval(), e.getMessage());
        }
    }

    /** One run over every table: deletes what is past its retention at the clock's time. */
    Report run() {
        StorageSettings settings = config.settings();
        long now = clock.getAsLong();
        long started = System.nanoTime();
        Map<String, Long> removed = new LinkedHashMap<>();
        Transactions transactions = new Transactions();
        for (RetainedRows table : tables) {
            Retention retention = table.retention(settings);
            if (retention.off()) {
                continue;
            }
            long cutoff = PurgeSelection.cutoff(now, retention.maxAge());
            long count = 0;
            Optional<Group> group = storage.read(c -> table.next(c, null));
            while (group.isPresent() && running) {
                Group g = group.get();
                count += purge(table, g, retention, cutoff, settings.purgeBatchSize(), transactions);
                group = storage.read(c -> table.next(c, g));
            }
            removed.put(table.name(), count);
        }
        Report report = new Report(removed, transactions.count, transactions.largest, (System.nanoTime() - started) / 1_000_000);
        if (report.total() > 0) {
            LOG.info("Retention purge removed {} in {} ms ({} transactions of at most {} rows)", removed.entrySet().stream()
                    .filter(e -> e.getValue() > 0).map(e -> e.getValue() + " " + e.getKey()).collect(Collectors.joining(" and ")),
                    report.millis(), report.transactions(), settings.purgeBatchSize());
        }
        return report;
    }

    /** Deletes one group's rows past the retention, a batch per transaction; returns how many. */
    private long purge(RetainedRows table, Group g, Retention retention, long cutoff, int batch,
                       Transactions transactions) {
        Optional<Row> lastBeyond = retention.maxRows() > 0 ? storage.read(c -> table.lastBeyond(c, g, retention.maxRows()))
                : Optional.empty();
        List<Row> oldest = storage.read(c -> table.oldest(c, g, 1));
        if (oldest.isEmpty() || !PurgeSelection.due(oldest.get(0), cutoff, lastBeyond)) {
            return 0;
        }
        long removed = 0;
        while (running) {
            List<Row> page = storage.read(c -> table.oldest(c, g, batch + 1));
            List<Row> doomed = PurgeSelection.select(page, batch, cutoff, lastBeyond, retention.keepNewest());
            if (doomed.isEmpty()) {
                break;
            }
            int deleted = delete(table, g, doomed);
            transactions.add(deleted);
            removed += deleted;
            pause();
            if (deleted == 0 || doomed.size() < batch) {
                break; // the rest stays (or someone else deleted the rows: the device was deleted)
            }
        }
        return removed;
    }

    private int delete(RetainedRows table, Group g, List<Row> rows) {
        try {
            // One device's rows: in order with that device's writes only, not a pause of every writer.
            return storage.submit(g.deviceId(), c -> table.delete(c, g, rows)).get(DELETE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw Storage.unwrap(e.getCause());
        } catch (TimeoutException e) {
            throw new ThingportException(ErrorCode.INTERNAL, "storage did not delete within " + DELETE_TIMEOUT_SECONDS + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
            return 0;
        }
    }

    private void pause() {
        try {
            Thread.sleep(pauseMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
