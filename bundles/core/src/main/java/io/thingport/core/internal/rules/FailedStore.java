package io.thingport.core.internal.rules;

import io.thingport.api.rule.FailedMessage;
import io.thingport.core.internal.storage.IdBlocks;
import io.thingport.core.internal.storage.RowMapper;
import io.thingport.core.internal.storage.Storage;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The failed-message store (table {@code rule_failed}): rows an action gave up on, until an operator replays or discards
 * them. Bounded: beyond {@code maxRows} the oldest are deleted (with a warning), so a peer that stays down cannot fill
 * the disk.
 */
final class FailedStore {
    private static final Logger LOG = LoggerFactory.getLogger(FailedStore.class);
    static final int MAX_ERROR = 2_000;
    /** Inserts waiting for the database at most. */
    static final int MAX_PENDING = 10_000;
    private static final String COLUMNS = "id, rule_id, action, device_id, error, payload, attempts, failed_at";
    private static final RowMapper<FailedMessage> ROW = rs -> new FailedMessage(rs.getLong(1), rs.getString(2), rs.getString(3),
            rs.getString(4), rs.getString(5), rs.getString(6), rs.getInt(7), rs.getLong(8));

    private final Storage storage;
    private final IdBlocks ids;
    private final long maxRows;
    private final AtomicLong sinceTrim = new AtomicLong();
    private final AtomicInteger pending = new AtomicInteger();
    private long lost;
    private long lastWarning;

    FailedStore(Storage storage, long maxRows) {
        this.storage = storage;
        this.ids = new IdBlocks(storage, "rule_failed", 1_000);
        this.maxRows = maxRows;
    }

    CompletableFuture<Void> add(String ruleId, String action, String deviceId, String error, String payload, int attempts) {
        if (pending.incrementAndGet() > MAX_PENDING) {
            // the database is behind (or down): rows are not queued without bound in memory, they are counted
            pending.decrementAndGet();
            notKept(1, "the store's writes are " + MAX_PENDING + " behind");
            return CompletableFuture.completedFuture(null);
        }
        long id = ids.next();
        String text = error == null ? "unknown error" : error.length() > MAX_ERROR ? error.substring(0, MAX_ERROR) : error;
        CompletableFuture<Void> stored = storage.append("INSERT INTO rule_failed (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                id, ruleId, action, deviceId, text, payload, attempts, System.currentTimeMillis());
        stored = stored.whenComplete((ok, e) -> {
            pending.decrementAndGet();
            if (e != null) {
                notKept(1, e.getMessage());
            }
        });
        if (sinceTrim.incrementAndGet() >= Math.max(1, maxRows / 10)) {
            sinceTrim.set(0);
            stored = stored.thenCompose(ok -> trim());
        }
        return stored;
    }

    /** Rows that could not be kept: counted, and logged once a minute at most. */
    private synchronized void notKept(long rows, String why) {
        lost += rows;
        long now = System.currentTimeMillis();
        if (now - lastWarning >= 60_000) {
            lastWarning = now;
            LOG.error("{} failed rows could not be kept in the failed-message store so far: {}", lost, why);
        }
    }

    /** Rows given up on that the store could not keep. */
    synchronized long lost() {
        return lost;
    }

    /** Deletes the oldest rows beyond the bound. */
    CompletableFuture<Void> trim() {
        return storage.submit(c -> {
            long count = Storage.query(c, "SELECT COUNT(*) FROM rule_failed", rs -> rs.getLong(1)).get(0);
            if (count > maxRows) {
                long cut = Storage.query(c, "SELECT id FROM rule_failed ORDER BY id DESC OFFSET ? ROWS FETCH NEXT 1 ROWS ONLY",
                        rs -> rs.getLong(1), maxRows).get(0);
                int deleted = Storage.update(c, "DELETE FROM rule_failed WHERE id <= ?", cut);
                LOG.warn("The failed-message store holds more than {} rows: deleted the {} oldest", maxRows, deleted);
            }
            return null;
        });
    }

    /** Newest first. */
    List<FailedMessage> list(String ruleId, int limit) {
        return ruleId == null
                ? storage.query("SELECT " + COLUMNS + " FROM rule_failed ORDER BY id DESC FETCH FIRST ? ROWS ONLY", ROW, limit)
                : storage.query("SELECT " + COLUMNS + " FROM rule_failed WHERE rule_id = ? ORDER BY id DESC FETCH FIRST ? ROWS ONLY", ROW,
                        ruleId, limit);
    }

    /** Oldest first (replay order). */
    List<FailedMessage> oldest(String ruleId, int limit) {
        return ruleId == null
                ? storage.query("SELECT " + COLUMNS + " FROM rule_failed ORDER BY id FETCH FIRST ? ROWS ONLY", ROW, limit)
                : storage.query("SELECT " + COLUMNS + " FROM rule_failed WHERE rule_id = ? ORDER BY id FETCH FIRST ? ROWS ONLY", ROW,
                        ruleId, limit);
    }

    Optional<FailedMessage> get(long id) {
        return storage.queryOne("SELECT " + COLUMNS + " FROM rule_failed WHERE id = ?", ROW, id);
    }

    CompletableFuture<Void> delete(long id) {
        return storage.append("DELETE FROM rule_failed WHERE id = ?", id);
    }

    CompletableFuture<Void> failedAgain(long id, String error, int attempts) {
        String text = error == null ? "unknown error" : error.length() > MAX_ERROR ? error.substring(0, MAX_ERROR) : error;
        return storage.append("UPDATE rule_failed SET error = ?, attempts = ?, failed_at = ? WHERE id = ?", text, attempts,
                System.currentTimeMillis(), id);
    }

    int discard(Long id, String ruleId) {
        return storage.transaction(c -> id != null ? Storage.update(c, "DELETE FROM rule_failed WHERE id = ?", id)
                : ruleId != null ? Storage.update(c, "DELETE FROM rule_failed WHERE rule_id = ?", ruleId)
                : Storage.update(c, "DELETE FROM rule_failed"));
    }
}
