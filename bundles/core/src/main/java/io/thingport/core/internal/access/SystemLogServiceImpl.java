package io.thingport.core.internal.access;

import io.thingport.api.ThingportException;
import io.thingport.api.access.SystemEvent;
import io.thingport.api.access.SystemLogQuery;
import io.thingport.api.access.SystemLogService;
import io.thingport.core.internal.storage.IdBlocks;
import io.thingport.core.internal.storage.Storage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * The system log in the table {@code system_log}, written like the access log ({@link AccessLogServiceImpl}): queued,
 * batched by a thread of its own, ids from the sequence {@code system_log}, a message cut at 2,000 characters, kept
 * within {@code systemLog.maxAgeDays} and {@code systemLog.maxRows}. It depends on {@link Storage} alone, so that
 * every part of the platform can record into it without a cycle of references.
 */
@Component(service = SystemLogService.class)
public final class SystemLogServiceImpl implements SystemLogService {
    static final int MAX_MESSAGE = 2000;
    private static final List<String> LEVELS = List.of(SystemEvent.INFO, SystemEvent.WARN, SystemEvent.ERROR);
    private static final String INSERT = "INSERT INTO system_log (id, ts, level, category, source, message) VALUES (?, ?, ?, ?, ?, ?)";
    private static final String SELECT = "SELECT id, ts, level, category, source, message FROM system_log";

    private final Storage storage;
    private final IdBlocks ids;
    private final QueuedLog<SystemEvent> queue;

    @Activate
    public SystemLogServiceImpl(@Reference Storage storage) {
        this(storage, QueuedLog.CAPACITY);
    }

    SystemLogServiceImpl(Storage storage, int capacity) {
        this.storage = storage;
        this.ids = new IdBlocks(storage, "system_log", 100);
        this.queue = new QueuedLog<>("system-log events", "thingport-system-log", capacity, QueuedLog.BATCH, this::write,
                System::currentTimeMillis);
    }

    @Deactivate
    void close() {
        queue.close();
    }

    /**
     * Queues an event at the time now.
     *
     * @throws IllegalArgumentException for a level other than {@code INFO}, {@code WARN} and {@code ERROR}
     */
    @Override
    public void record(String level, String category, String source, String message) {
        queue.offer(new SystemEvent(0, Instant.now(), level(level), LogTexts.clip(category, 32), LogTexts.clip(source, 200),
                LogTexts.clip(message, MAX_MESSAGE)));
    }

    private static String level(String level) {
        String l = level == null ? "" : level.trim().toUpperCase(Locale.ROOT);
        if (!LEVELS.contains(l)) {
            throw new IllegalArgumentException("level " + level + ": the levels are " + LEVELS);
        }
        return l;
    }

    private void write(List<SystemEvent> batch) throws Exception {
        List<Object[]> rows = new ArrayList<>(batch.size());
        for (SystemEvent e : batch) {
            rows.add(new Object[] {ids.next(), e.timestamp().toEpochMilli(), e.level(), e.category(), e.source(), e.message()});
        }
        LogTexts.insert(storage, "system_log", INSERT, rows);
    }

    @Override
    public List<SystemEvent> query(SystemLogQuery q) {
        Objects.requireNonNull(q, "query");
        int limit = LogTexts.limit(q.limit());
        List<String> where = new ArrayList<>();
        List<Object> params = new ArrayList<>();
        if (q.from() != null) {
            where.add("ts >= ?");
            params.add(q.from().toEpochMilli());
        }
        if (q.to() != null) {
            where.add("ts < ?");
            params.add(q.to().toEpochMilli());
        }
        if (q.level() != null) {
            String level = q.level().trim().toUpperCase(Locale.ROOT);
            int index = LEVELS.indexOf(level);
            if (index < 0) {
                throw ThingportException.invalidArgument("level must be INFO, WARN or ERROR, not " + q.level());
            }
            List<String> atLeast = LEVELS.subList(index, LEVELS.size());
            where.add("level IN (" + String.join(", ", atLeast.stream().map(l -> "?").toList()) + ")");
            params.addAll(atLeast);
        }
        if (q.category() != null) {
            where.add("category = ?");
            params.add(q.category());
        }
        if (q.source() != null) {
            where.add("source = ?");
            params.add(q.source());
        }
        if (q.beforeId() != null) {
            where.add("id < ?");
            params.add(q.beforeId());
        }
        String sql = SELECT + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where)) + " ORDER BY id DESC LIMIT " + limit;
        return storage.query(sql, rs -> new SystemEvent(rs.getLong(1), Instant.ofEpochMilli(rs.getLong(2)), rs.getString(3),
                rs.getString(4), rs.getString(5), rs.getString(6)), params.toArray());
    }

    /** Waits until what was recorded so far is written (tests). */
    boolean flush(long timeoutMillis) throws InterruptedException {
        return queue.flush(timeoutMillis);
    }

    /** Events lost since the start (tests). */
    long lost() {
        return queue.lost();
    }
}
