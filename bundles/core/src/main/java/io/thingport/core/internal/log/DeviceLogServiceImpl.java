package io.thingport.core.internal.log;

import io.thingport.api.device.DeviceLogEntry;
import io.thingport.api.device.DeviceLogService;
import io.thingport.api.device.LogQuery;
import io.thingport.api.device.LogType;
import io.thingport.core.internal.events.BoundedSubscriber;
import io.thingport.core.internal.events.SubscriberThreads;
import io.thingport.core.internal.storage.AtomicWrite;
import io.thingport.core.internal.storage.IdBlocks;
import io.thingport.core.internal.storage.LiveDevice;
import io.thingport.core.internal.storage.Sql;
import io.thingport.core.internal.storage.Storage;
import io.thingport.core.internal.storage.StorageConfiguration;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The device log: entries are written through {@link Storage}'s batched writer and handed to followers
 * ({@code iot:device-log --follow}) once they are committed. Of a raw payload and of a decoded message, the first
 * {@code deviceLog.maxPayloadBytes} bytes are kept ({@link PayloadCap}), and the entry says when one was cut. Reads
 * ({@link #recent}, {@link #query}) are one statement each that walks an index in the order it returns entries
 * ({@link LogQueries}).
 */
@Component(service = {DeviceLogServiceImpl.class, DeviceLogService.class})
public final class DeviceLogServiceImpl implements DeviceLogService {
    private static final Logger LOG = LoggerFactory.getLogger(DeviceLogServiceImpl.class);
    private static final String COLUMNS = "id, ts, device_id, product_id, type, message_type, message_id, topic, raw, decoded,"
            + " detail, truncated, uplink_key";
    private static final String MARKS = "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?";
    private static final String BY_ID = "SELECT 1 FROM device_log WHERE id = ?";
    static final int MAX_DETAIL = 2000;

    private final Storage storage;
    private final StorageConfiguration config;
    private final IdBlocks ids;
    private final List<Follower> followers = new CopyOnWriteArrayList<>();
    private final ExecutorService threads = SubscriberThreads.create("thingport-log-follow");

    /** A follower of the log, fed through a bounded queue on a thread of its own: the writer never waits for it. */
    private record Follower(String deviceId, BoundedSubscriber<DeviceLogEntry> delivery) {
    }

    /** How many entries a follower (a console, often) may fall behind before it is ended. */
    static final int FOLLOW_QUEUE = 1000;

    @Activate
    public DeviceLogServiceImpl(@Reference Storage storage, @Reference StorageConfiguration config) {
        this.storage = storage;
        this.config = config;
        this.ids = new IdBlocks(storage, "device_log", 1000);
    }

    /** Writes one entry; the future completes when it is committed. */
    public CompletableFuture<Void> write(LogType type, String deviceId, String productId, String messageType, String messageId,
                                        String topic, String raw, String decoded, String detail) {
        DeviceLogEntry entry = entry(type, deviceId, productId, messageType, messageId, topic, raw, decoded, detail);
        Sql insert = new Sql("INSERT INTO device_log (" + COLUMNS + ") VALUES (" + MARKS + ")", values(entry, null));
        // The id is the probe: a retry after a commit whose durable step failed finds the row and adds no second one.
        return storage.write(new AtomicWrite(List.of(insert), new Sql(BY_ID, entry.id()), entry.deviceId()), false)
                .thenRun(() -> committed(entry));
    }

    /** An entry as it will be stored: a new id, the time now, payload texts cut to the configured size. */
    public DeviceLogEntry entry(LogType type, String deviceId, String productId, String messageType, String messageId, String topic,
                                String raw, String decoded, String detail) {
        int maxPayload = config.settings().deviceLogMaxPayloadBytes();
        PayloadCap.Cut rawCut = PayloadCap.cut(nz(raw), maxPayload);
        PayloadCap.Cut decodedCut = PayloadCap.cut(nz(decoded), maxPayload);
        return new DeviceLogEntry(ids.next(), Instant.now(), clip(deviceId == null ? "" : deviceId, 64), productId, type,
                nz(messageType), clip(nz(messageId), 64), clip(nz(topic), 512), rawCut.text(), decodedCut.text(),
                clip(nz(detail), MAX_DETAIL), rawCut.truncated() || decodedCut.truncated());
    }

    /**
     * The statement that stores an uplink's entry as part of the uplink's atomic write, only while {@code device} holds;
     * {@code uplinkKey} (may be null) tells a resent message ({@link #uplinkProbe}).
     */
    public Sql uplinkInsert(DeviceLogEntry entry, String uplinkKey, LiveDevice device) {
        return device.insert("device_log", COLUMNS, values(entry, uplinkKey));
    }

    /** Finds an uplink's entry already stored: by its own id, or as an earlier copy of the same message (same key). */
    public static Sql uplinkProbe(DeviceLogEntry entry, String uplinkKey) {
        return uplinkKey == null ? new Sql(BY_ID, entry.id())
                : new Sql(BY_ID + " OR (device_id = ? AND uplink_key = ?)", entry.id(), entry.deviceId(), uplinkKey);
    }

    /** Whether an uplink with {@code uplinkKey} is stored for the device (read outside the writer, committed rows only). */
    public boolean stored(String deviceId, String uplinkKey) {
        return !storage.query("SELECT 1 FROM device_log WHERE device_id = ? AND uplink_key = ?", rs -> true, deviceId, uplinkKey)
                .isEmpty();
    }

    /** Hands a committed entry to the followers of the log. */
    public void committed(DeviceLogEntry entry) {
        if (!followers.isEmpty()) {
            notifyFollowers(entry);
        }
    }

    private static Object[] values(DeviceLogEntry e, String uplinkKey) {
        return new Object[] {e.id(), e.timestamp().toEpochMilli(), e.deviceId(), e.productId(), e.type().name(), e.messageType(),
            e.messageId(), e.topic(), e.raw(), e.decoded(), e.detail(), e.truncated(), uplinkKey};
    }

    /**
     * The payload as text when it is UTF-8 without NUL bytes, else {@code base64:...}: a binary frame can be valid UTF-8,
     * and its NUL bytes would not be text on every database (PostgreSQL's text cannot hold them).
     */
    public static String rawText(byte[] payload) {
        try {
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(payload)).toString();
            if (text.indexOf('\0') < 0) {
                return text;
            }
        } catch (CharacterCodingException e) {
            // not text: base64 below
        }
        return "base64:" + Base64.getEncoder().encodeToString(payload);
    }

    private void notifyFollowers(DeviceLogEntry entry) {
        for (Follower f : followers) {
            if (f.deviceId() == null || f.deviceId().equals(entry.deviceId())) {
                f.delivery().offer(entry);
            }
        }
    }

    @Deactivate
    void deactivate() {
        followers.forEach(f -> f.delivery().close());
        followers.clear();
        threads.shutdownNow();
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    private static String clip(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 3) + "...";
    }

    @Override
    public List<DeviceLogEntry> recent(String deviceId, int limit) {
        int n = Math.max(1, Math.min(limit, 10_000));
        List<DeviceLogEntry> rows = new ArrayList<>(select(new LogQuery(deviceId, null, null, null, null, null, null, null, n)));
        Collections.reverse(rows);
        return rows;
    }

    @Override
    public List<DeviceLogEntry> query(LogQuery query) {
        return select(LogQueries.checked(query));
    }

    private List<DeviceLogEntry> select(LogQuery query) {
        Sql select = LogQueries.select(query);
        return storage.query(select.text(), DeviceLogServiceImpl::row, select.params());
    }

    private static DeviceLogEntry row(ResultSet rs) throws SQLException {
        return new DeviceLogEntry(rs.getLong(1), Instant.ofEpochMilli(rs.getLong(2)), rs.getString(3), rs.getString(4),
                LogType.valueOf(rs.getString(5)), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10),
                rs.getString(11), rs.getBoolean(12));
    }

    @Override
    public AutoCloseable follow(String deviceId, Consumer<DeviceLogEntry> listener, Consumer<String> onEnd) {
        Follower[] self = new Follower[1];
        BoundedSubscriber<DeviceLogEntry> delivery = new BoundedSubscriber<>(FOLLOW_QUEUE, listener, threads, why -> {
            followers.remove(self[0]);
            LOG.warn("A follower of the device log{} was ended: {}", deviceId == null ? "" : " of " + deviceId, why);
            onEnd.accept(why);
        });
        self[0] = new Follower(deviceId, delivery);
        followers.add(self[0]);
        return () -> {
            delivery.close();
            followers.remove(self[0]);
        };
    }
}
