package io.thingport.core.internal.registry;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.device.DeviceQuery;
import io.thingport.api.device.DeviceState;
import io.thingport.api.device.DeviceStatus;
import io.thingport.core.internal.storage.Sql;
import io.thingport.core.internal.storage.Storage;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.IntConsumer;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;

/**
 * The {@code device} table and its cache. Devices are cached as they are used. A change made by an operator runs in
 * one transaction of the storage writer and reaches the cache only after it committed, so a failed change leaves
 * nothing behind; a connection state change updates the cache at once and is persisted through the batched writer.
 */
final class DeviceStore {
    private static final String COLUMNS = "id, product_id, name, secret, enabled, created_at, online, first_online,"
            + " online_count, last_online, last_offline, node, mac";

    private static final String INSERT = "INSERT INTO device (id, product_id, name, secret, enabled, created_at, online,"
            + " online_count, mac) VALUES (?, ?, ?, ?, ?, ?, FALSE, 0, ?)";
    private static final String INSERT_TAG = "INSERT INTO device_tag (device_id, tag_key, tag_value) VALUES (?, ?, ?)";
    /** How many devices of an import are looked up, and inserted, at a time. */
    static final int CHUNK = 1000;

    private final Storage storage;
    private final String node;
    private final Object[] tagLocks = IntStream.range(0, 64).mapToObj(i -> new Object()).toArray();
    private final ConcurrentMap<String, DeviceRecord> devices = new ConcurrentHashMap<>();

    /** Opens the store of the node {@code node}; the devices it held when it stopped are not connected any more. */
    DeviceStore(Storage storage, String node) {
        this.storage = storage;
        this.node = node;
        storage.transaction(c -> Storage.update(c, "UPDATE device SET online = FALSE, last_offline = ? WHERE online = TRUE AND node = ?",
                System.currentTimeMillis(), node));
    }

    private static DeviceRecord record(ResultSet rs) throws SQLException {
        DeviceState state = new DeviceState(rs.getBoolean(7), instant(rs, 8), rs.getLong(9), instant(rs, 10), instant(rs, 11),
                rs.getString(12));
        return new DeviceRecord(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getBoolean(5),
                Instant.ofEpochMilli(rs.getLong(6)), state, rs.getString(13), Map.of());
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(v);
    }

    private static Long millis(Instant i) {
        return i == null ? null : i.toEpochMilli();
    }

    /** The cached record, loading it on first use. Blocks on storage: never call it on an event loop. */
    Optional<DeviceRecord> find(String deviceId) {
        DeviceRecord cached = devices.get(deviceId);
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<DeviceRecord> loaded = storage.queryOne("SELECT " + COLUMNS + " FROM device WHERE id = ?", DeviceStore::record,
                deviceId).map(r -> r.withTags(tags(List.of(r.id())).getOrDefault(r.id(), Map.of())));
        loaded.ifPresent(r -> devices.putIfAbsent(r.id(), r));
        return loaded.map(r -> devices.getOrDefault(r.id(), r));
    }

    /** The devices of a product, or all with {@code productId == null}, by id. */
    List<DeviceRecord> list(String productId) {
        List<DeviceRecord> rows = productId == null
                ? storage.query("SELECT " + COLUMNS + " FROM device ORDER BY id", DeviceStore::record)
                : storage.query("SELECT " + COLUMNS + " FROM device WHERE product_id = ? ORDER BY id", DeviceStore::record, productId);
        return withTags(rows);
    }

    /**
     * One page of a device list: at most {@code limit + 1} devices, as {@link DeviceQueries#select} reads them; the
     * caller tells whether another page follows.
     */
    List<DeviceRecord> page(DeviceQuery query, String afterId) {
        Sql sql = DeviceQueries.select(query, afterId);
        return withTags(storage.query(sql.text(), DeviceStore::record, sql.params()));
    }

    /** How many devices of the query's products, tags and id prefix have each status (every status, 0 when none). */
    Map<DeviceStatus, Long> countByStatus(DeviceQuery query) {
        Sql sql = DeviceQueries.countByStatus(query);
        Map<DeviceStatus, Long> out = new EnumMap<>(DeviceStatus.class);
        for (DeviceStatus s : DeviceStatus.values()) {
            out.put(s, 0L);
        }
        storage.query(sql.text(), rs -> out.put(DeviceStatus.valueOf(rs.getString(1).trim()), rs.getLong(2)), sql.params());
        return out;
    }

    /** Rows as read, with their tags; the cache holds the freshest record of devices in use (state writes are batched). */
    private List<DeviceRecord> withTags(List<DeviceRecord> rows) {
        Map<String, Map<String, String>> tags = new HashMap<>();
        for (int from = 0; from < rows.size(); from += CHUNK) {
            tags.putAll(tags(rows.subList(from, Math.min(rows.size(), from + CHUNK)).stream().map(DeviceRecord::id).toList()));
        }
        return rows.stream().map(r -> devices.getOrDefault(r.id(), r.withTags(tags.getOrDefault(r.id(), Map.of())))).toList();
    }

    /** The tags of these devices (at most {@link #CHUNK}); a device without tags is not in the map. */
    private Map<String, Map<String, String>> tags(List<String> deviceIds) {
        Map<String, Map<String, String>> out = new HashMap<>();
        if (deviceIds.isEmpty()) {
            return out;
        }
        String marks = String.join(", ", Collections.nCopies(deviceIds.size(), "?"));
        storage.query("SELECT device_id, tag_key, tag_value FROM device_tag WHERE device_id IN (" + marks + ")",
                rs -> out.computeIfAbsent(rs.getString(1), k -> new TreeMap<>()).put(rs.getString(2), rs.getString(3)),
                deviceIds.toArray());
        return out;
    }

    /** Stores a new device; {@code CONFLICT} when one with its id exists. */
    void insert(DeviceRecord r) {
        storage.transaction(c -> {
            if (exists(c, r.id())) {
                throw new ThingportException(ErrorCode.CONFLICT, "device " + r.id() + " already exists");
            }
            return insert(c, r);
        });
        devices.put(r.id(), r);
    }

    /**
     * Stores new devices, all or none: when any exists, the error lists every one that does. {@code progress} hears, on
     * the calling thread, how many have been looked up and inserted (0, then after each {@link #CHUNK}, then all).
     */
    void insertAll(List<DeviceRecord> records, IntConsumer progress) {
        storage.transaction((c, reported) -> {
            reported.report(0);
            List<String> existing = new ArrayList<>();
            for (int from = 0; from < records.size(); from += CHUNK) {
                List<DeviceRecord> chunk = records.subList(from, Math.min(records.size(), from + CHUNK));
                Set<String> found = existing(c, chunk);
                for (DeviceRecord r : chunk) {
                    if (found.contains(r.id())) {
                        existing.add("device " + r.id() + " already exists");
                    }
                }
                if (existing.isEmpty()) { // once one exists, nothing will be stored: the rest are only looked up
                    Storage.updateBatch(c, INSERT, chunk.stream().map(DeviceStore::insertParams).toList());
                    List<Object[]> tagRows = chunk.stream().flatMap(r -> tagParams(r.id(), r.tags()).stream()).toList();
                    if (!tagRows.isEmpty()) {
                        Storage.updateBatch(c, INSERT_TAG, tagRows);
                    }
                }
                reported.report(from + chunk.size());
            }
            DeviceImport.failIfAny(existing, "no device was imported");
            return null;
        }, progress);
        records.forEach(r -> devices.put(r.id(), r));
    }

    /** Which of the devices exist already. */
    private static Set<String> existing(Connection c, List<DeviceRecord> chunk) throws SQLException {
        String marks = String.join(", ", Collections.nCopies(chunk.size(), "?"));
        return new HashSet<>(Storage.query(c, "SELECT id FROM device WHERE id IN (" + marks + ")", rs -> rs.getString(1),
                chunk.stream().map(DeviceRecord::id).toArray()));
    }

    private static boolean exists(Connection c, String deviceId) throws SQLException {
        return !Storage.query(c, "SELECT 1 FROM device WHERE id = ?", rs -> 1, deviceId).isEmpty();
    }

    private static int insert(Connection c, DeviceRecord r) throws SQLException {
        int n = Storage.update(c, INSERT, insertParams(r));
        for (Object[] tag : tagParams(r.id(), r.tags())) {
            Storage.update(c, INSERT_TAG, tag);
        }
        return n;
    }

    private static Object[] insertParams(DeviceRecord r) {
        return new Object[] {r.id(), r.productId(), r.name(), r.secret(), r.enabled(), r.createdAt().toEpochMilli(), r.mac()};
    }

    private static List<Object[]> tagParams(String deviceId, Map<String, String> tags) {
        return tags.entrySet().stream().map(e -> new Object[] {deviceId, e.getKey(), e.getValue()}).toList();
    }

    /** Deletes a device with its stored properties, its log, its shadow, its sub-device bindings and its certificate bindings. */
    void delete(String deviceId) {
        storage.transaction(c -> {
            Storage.update(c, "DELETE FROM property_report WHERE device_id = ?", deviceId);
            Storage.update(c, "DELETE FROM device_log WHERE device_id = ?", deviceId);
            Storage.update(c, "DELETE FROM device_shadow WHERE device_id = ?", deviceId);
            TopologyStore.deleteAll(c, deviceId);
            DeviceCertificates.deleteAll(c, deviceId);
            Storage.update(c, "DELETE FROM device_tag WHERE device_id = ?", deviceId);
            return Storage.update(c, "DELETE FROM device WHERE id = ?", deviceId);
        });
        devices.remove(deviceId);
    }

    /** Stores whether the device may connect; {@code r} is its record as the caller found it. */
    DeviceRecord setEnabled(DeviceRecord r, boolean enabled) {
        storage.transaction(c -> Storage.update(c, "UPDATE device SET enabled = ? WHERE id = ?", enabled, r.id()));
        return devices.compute(r.id(), (k, v) -> (v == null ? r : v).withEnabled(enabled));
    }

    /** Stores the device's new secret; {@code r} is its record as the caller found it. */
    void setSecret(DeviceRecord r, String secret) {
        storage.transaction(c -> Storage.update(c, "UPDATE device SET secret = ? WHERE id = ?", secret, r.id()));
        devices.compute(r.id(), (k, v) -> (v == null ? r : v).withSecret(secret));
    }

    /** Replaces the device's tags with {@code tags} (checked); {@code r} is its record as the caller found it. */
    DeviceRecord setTags(DeviceRecord r, Map<String, String> tags) {
        return changeTags(r, current -> tags);
    }

    /**
     * Replaces the device's tags with {@code change} applied to the stored ones, read in the same transaction under the
     * device row's lock: two changes of one device's tags, on one node or several, never lose one another. The cache
     * takes the result in the same order (under a per-device lock).
     */
    DeviceRecord changeTags(DeviceRecord r, UnaryOperator<Map<String, String>> change) {
        synchronized (tagLocks[Math.floorMod(r.id().hashCode(), tagLocks.length)]) {
            Map<String, String> tags = storage.transaction(c -> {
                if (Storage.query(c, "SELECT id FROM device WHERE id = ? FOR UPDATE", rs -> 1, r.id()).isEmpty()) {
                    throw ThingportException.notFound("device", r.id());
                }
                Map<String, String> current = new TreeMap<>();
                Storage.query(c, "SELECT tag_key, tag_value FROM device_tag WHERE device_id = ?",
                        rs -> current.put(rs.getString(1), rs.getString(2)), r.id());
                Map<String, String> next = change.apply(current);
                Storage.update(c, "DELETE FROM device_tag WHERE device_id = ?", r.id());
                List<Object[]> rows = tagParams(r.id(), next);
                if (!rows.isEmpty()) {
                    Storage.updateBatch(c, INSERT_TAG, rows);
                }
                return next;
            });
            return devices.compute(r.id(), (k, v) -> (v == null ? r : v).withTags(tags));
        }
    }

    /** Stores the device's MAC address ({@code null}: none); {@code r} is its record as the caller found it. */
    DeviceRecord setMac(DeviceRecord r, String mac) {
        storage.transaction(c -> Storage.update(c, "UPDATE device SET mac = ? WHERE id = ?", mac, r.id()));
        return devices.compute(r.id(), (k, v) -> (v == null ? r : v).withMac(mac));
    }

    /**
     * The statement storing a MAC address the device reported, to run after its uplink's log entry {@code logEntryId} was
     * inserted (it changes the row only when that entry exists: {@link io.thingport.core.internal.storage.AtomicWrite}),
     * when it differs from the cached one (which it replaces at once, as a connection state change does); else none.
     */
    Optional<Sql> reportedMac(String deviceId, long logEntryId, String mac) {
        DeviceRecord before = devices.get(deviceId);
        if (before == null || mac.equals(before.mac())) {
            return Optional.empty();
        }
        devices.computeIfPresent(deviceId, (k, v) -> v.withMac(mac));
        return Optional.of(new Sql("UPDATE device SET mac = ? WHERE id = ? AND EXISTS (SELECT 1 FROM device_log WHERE id = ?)", mac,
                deviceId, logEntryId));
    }

    /** Marks a cached device online on this node; persisted through the batched writer. */
    CompletableFuture<Void> markOnline(String deviceId, long now) {
        DeviceRecord r = devices.computeIfPresent(deviceId, (k, v) -> {
            DeviceState s = v.state();
            return v.withState(new DeviceState(true, s.firstOnline() == null ? Instant.ofEpochMilli(now) : s.firstOnline(),
                    s.onlineCount() + 1, Instant.ofEpochMilli(now), s.lastOffline(), node));
        });
        if (r == null) {
            return CompletableFuture.completedFuture(null);
        }
        DeviceState s = r.state();
        return storage.append("UPDATE device SET online = TRUE, first_online = ?, online_count = ?, last_online = ?, node = ?"
                + " WHERE id = ?", millis(s.firstOnline()), s.onlineCount(), millis(s.lastOnline()), node, deviceId);
    }

    /** Marks a cached device offline; persisted through the batched writer. */
    CompletableFuture<Void> markOffline(String deviceId, long now) {
        DeviceRecord r = devices.computeIfPresent(deviceId, (k, v) -> {
            DeviceState s = v.state();
            return v.withState(new DeviceState(false, s.firstOnline(), s.onlineCount(), s.lastOnline(), Instant.ofEpochMilli(now), node));
        });
        if (r == null) {
            return CompletableFuture.completedFuture(null);
        }
        return storage.append("UPDATE device SET online = FALSE, last_offline = ? WHERE id = ?", now, deviceId);
    }
}
