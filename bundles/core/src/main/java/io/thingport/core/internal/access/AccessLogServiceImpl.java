package io.thingport.core.internal.access;

import io.thingport.api.access.AccessLogService;
import io.thingport.api.access.AccessQuery;
import io.thingport.api.access.AccessRecord;
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
 * The access log in the table {@code access_log}: records are queued ({@link QueuedLog}, 10,000 at most) and written
 * in batches by a thread of its own; their ids come from the sequence {@code access_log} ({@link IdBlocks}), taken in
 * the order the records were queued. Texts longer than their columns are cut (the action at 1,000 characters). The
 * retention purge keeps the table within {@code accessLog.maxAgeDays} and {@code accessLog.maxRows}.
 */
@Component(service = AccessLogService.class)
public final class AccessLogServiceImpl implements AccessLogService {
    static final int MAX_ACTION = 1000;
    private static final String INSERT = "INSERT INTO access_log (id, ts, channel, principal, kind, action, source, status, result,"
            + " duration_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String SELECT = "SELECT id, ts, channel, principal, kind, action, source, status, result, duration_ms"
            + " FROM access_log";

    private final Storage storage;
    private final IdBlocks ids;
    private final QueuedLog<AccessRecord> queue;

    @Activate
    public AccessLogServiceImpl(@Reference Storage storage) {
        this(storage, QueuedLog.CAPACITY);
    }

    AccessLogServiceImpl(Storage storage, int capacity) {
        this.storage = storage;
        this.ids = new IdBlocks(storage, "access_log", 100);
        this.queue = new QueuedLog<>("access-log records", "thingport-access-log", capacity, QueuedLog.BATCH, this::write,
                System::currentTimeMillis);
    }

    @Deactivate
    void close() {
        queue.close();
    }

    @Override
    public void record(AccessRecord r) {
        Objects.requireNonNull(r, "record");
        queue.offer(new AccessRecord(0, r.timestamp() == null ? Instant.now() : r.timestamp(), LogTexts.clip(r.channel(), 16),
                LogTexts.clip(r.principal() == null ? "-" : r.principal(), 128), LogTexts.clip(r.kind(), 16),
                LogTexts.clip(r.action(), MAX_ACTION), LogTexts.clip(r.source(), 64), r.status(), LogTexts.clip(r.result(), 64),
                Math.max(0, r.durationMs())));
    }

    private void write(List<AccessRecord> batch) throws Exception {
        List<Object[]> rows = new ArrayList<>(batch.size());
        for (AccessRecord r : batch) {
            rows.add(new Object[] {ids.next(), r.timestamp().toEpochMilli(), r.channel(), r.principal(), r.kind(), r.action(),
                r.source(), r.status(), r.result(), r.durationMs()});
        }
        LogTexts.insert(storage, "access_log", INSERT, rows);
    }

    @Override
    public List<AccessRecord> query(AccessQuery q) {
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
        if (q.channel() != null) {
            where.add("channel = ?");
            params.add(q.channel());
        }
        if (q.principal() != null) {
            where.add("principal = ?");
            params.add(q.principal());
        }
        if (q.result() != null) {
            String result = q.result().trim().toLowerCase(Locale.ROOT);
            if (result.equals("error")) {
                where.add("result <> 'ok'");
            } else {
                where.add("result = ?");
                params.add(result);
            }
        }
        if (q.beforeId() != null) {
            where.add("id < ?");
            params.add(q.beforeId());
        }
        String sql = SELECT + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where)) + " ORDER BY id DESC LIMIT " + limit;
        return storage.query(sql, rs -> new AccessRecord(rs.getLong(1), Instant.ofEpochMilli(rs.getLong(2)), rs.getString(3),
                rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getInt(8), rs.getString(9), rs.getLong(10)),
                params.toArray());
    }

    /** Waits until what was recorded so far is written (tests). */
    boolean flush(long timeoutMillis) throws InterruptedException {
        return queue.flush(timeoutMillis);
    }

    /** Records lost since the start (tests). */
    long lost() {
        return queue.lost();
    }
}
