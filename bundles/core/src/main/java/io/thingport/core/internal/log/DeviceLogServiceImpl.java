package io.thingport.core.internal.log;

import io.thingport.api.device.DeviceLogEntry;
import io.thingport.api.device.DeviceLogService;
import io.thingport.api.device.LogType;
import io.thingport.core.internal.events.BoundedSubscriber;
import io.thingport.core.internal.events.SubscriberThreads;
import io.thingport.core.internal.storage.IdBlocks;
import io.thingport.core.internal.storage.Storage;
import io.thingport.core.internal.storage.StorageConfiguration;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
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
 * {@code deviceLog.maxPayloadBytes} bytes are kept ({@link PayloadCap}), and the entry says when one was cut.
 */
@Component(service = {DeviceLogServiceImpl.class, DeviceLogService.class})
public final class DeviceLogServiceImpl implements DeviceLogService {
    private static final Logger LOG = LoggerFactory.getLogger(DeviceLogServiceImpl.class);
    private static final String INSERT = "INSERT INTO device_log (id, ts, device_id, product_id, type, message_type, message_id,"
            + " topic, raw, decoded, detail, truncated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
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
        int maxPayload = config.settings().deviceLogMaxPayloadBytes();
        PayloadCap.Cut rawCut = PayloadCap.cut(nz(raw), maxPayload);
        PayloadCap.Cut decodedCut = PayloadCap.cut(nz(decoded), maxPayload);
        DeviceLogEntry entry = new DeviceLogEntry(ids.next(), Instant.now(), deviceId == null ? "" : deviceId,
                productId, type, nz(messageType), nz(messageId), clip(nz(topic), 512), rawCut.text(), decodedCut.text(),
                clip(nz(detail), MAX_DETAIL), rawCut.truncated() || decodedCut.truncated());
        CompletableFuture<Void> done = storage.append(INSERT, entry.id(), entry.timestamp().toEpochMilli(), clip(entry.deviceId(), 64),
                entry.productId(), type.name(), entry.messageType(), clip(entry.messageId(), 64), entry.topic(), entry.raw(),
                entry.decoded(), entry.detail(), entry.truncated());
        if (!followers.isEmpty()) {
            done.thenRun(() -> notifyFollowers(entry));
        }
        return done;
    }

    /** The payload as text when it is UTF-8, else {@code base64:...}. */
    public static String rawText(byte[] payload) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(payload)).toString();
        } catch (CharacterCodingException e) {
            return "base64:" + Base64.getEncoder().encodeToString(payload);
        }
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
        String sql = "SELECT id, ts, device_id, product_id, type, message_type, message_id, topic, raw, decoded, detail, truncated"
                + " FROM device_log" + (deviceId == null ? "" : " WHERE device_id = ?") + " ORDER BY id DESC LIMIT " + n;
        List<DeviceLogEntry> rows = new ArrayList<>(storage.query(sql, rs -> new DeviceLogEntry(rs.getLong(1),
                Instant.ofEpochMilli(rs.getLong(2)), rs.getString(3), rs.getString(4), LogType.valueOf(rs.getString(5)),
                rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10), rs.getString(11),
                rs.getBoolean(12)),
                deviceId == null ? new Object[0] : new Object[] {deviceId}));
        Collections.reverse(rows);
        return rows;
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
