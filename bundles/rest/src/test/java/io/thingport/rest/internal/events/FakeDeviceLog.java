package io.thingport.rest.internal.events;

import io.thingport.api.device.DeviceLogEntry;
import io.thingport.api.device.DeviceLogService;
import io.thingport.api.device.LogQuery;
import io.thingport.api.device.LogType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;

/**
 * A device log in memory: query() answers the stored entries as the real one does for an afterId query (oldest first,
 * at most the limit) and records each query; follow() captures the listener and the onEnd callback so that the test
 * delivers entries and ends subscriptions itself.
 */
final class FakeDeviceLog implements DeviceLogService {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    final List<DeviceLogEntry> stored = new ArrayList<>();
    final List<LogQuery> queries = new ArrayList<>();
    final List<Consumer<DeviceLogEntry>> listeners = new ArrayList<>();
    final List<Consumer<String>> onEnds = new ArrayList<>();
    final List<String> followedDevices = new ArrayList<>();
    int closedSubscriptions;
    boolean failOnClose;

    static DeviceLogEntry entry(long id, LogType type, String messageType, String productId, String deviceId) {
        return new DeviceLogEntry(id, T0.plusMillis(id), deviceId, productId, type, messageType, "m" + id, "", "",
                "{\"n\":" + id + "}", "");
    }

    /** The listener of the latest subscription. */
    Consumer<DeviceLogEntry> listener() {
        return listeners.get(listeners.size() - 1);
    }

    @Override
    public List<DeviceLogEntry> recent(String deviceId, int limit) {
        throw new UnsupportedOperationException("not used by the Open API's events");
    }

    @Override
    public List<DeviceLogEntry> query(LogQuery q) {
        queries.add(q);
        if (q.limit() < 1 || q.limit() > LogQuery.MAX_LIMIT || q.afterId() == null || q.beforeId() != null) {
            throw new IllegalArgumentException("the fake answers afterId queries within the limit only: " + q);
        }
        return stored.stream().filter(e -> e.id() > q.afterId() && q.matches(e))
                .sorted(Comparator.comparingLong(DeviceLogEntry::id)).limit(q.limit()).toList();
    }

    @Override
    public AutoCloseable follow(String deviceId, Consumer<DeviceLogEntry> listener, Consumer<String> onEnd) {
        followedDevices.add(deviceId);
        listeners.add(listener);
        onEnds.add(onEnd);
        return () -> {
            closedSubscriptions++;
            if (failOnClose) {
                throw new IllegalStateException("the log is already stopped");
            }
        };
    }
}
