package io.thingport.rest.internal.ws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.thingport.api.access.AccessLogService;
import io.thingport.api.access.AccessQuery;
import io.thingport.api.access.AccessRecord;
import io.thingport.api.device.DeviceLogEntry;
import io.thingport.api.device.DeviceLogService;
import io.thingport.api.device.LogQuery;
import io.thingport.api.device.LogType;
import io.thingport.rest.internal.http.RestJson;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.awaitility.Awaitility;

/** Stand-ins for the platform and the network, shared by the WebSocket tests. */
final class Fakes {
    static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");

    private Fakes() {
    }

    /** A property report of device {@code device} of product {@code product}. */
    static DeviceLogEntry property(long id, String product, String device) {
        return new DeviceLogEntry(id, NOW, device, product, LogType.UPLINK, "properties/report", "m" + id,
                "/" + product + "/" + device + "/properties/report", "{}", "{\"temperature\":" + id + "}", "");
    }

    static DeviceLogEntry online(long id, String product, String device) {
        return new DeviceLogEntry(id, NOW, device, product, LogType.ONLINE, "", "", "", "", "", "127.0.0.1");
    }

    /** Polls until the condition holds, failing after 5 s. */
    static void await(BooleanSupplier condition, String what) {
        Awaitility.await(what).atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(5))
                .until(condition::getAsBoolean);
    }

    /** The device log: entries committed through {@link #commit} are stored and handed to the follower. */
    static final class Log implements DeviceLogService {
        final List<DeviceLogEntry> stored = new CopyOnWriteArrayList<>();
        volatile Consumer<DeviceLogEntry> follower;
        volatile Consumer<String> onEnd;
        volatile RuntimeException queryFailure;
        volatile Runnable beforeQuery;
        final AtomicInteger queries = new AtomicInteger();

        void store(DeviceLogEntry e) {
            stored.add(e);
        }

        void commit(DeviceLogEntry e) {
            stored.add(e);
            Consumer<DeviceLogEntry> f = follower;
            if (f != null) {
                f.accept(e);
            }
        }

        @Override
        public List<DeviceLogEntry> recent(String deviceId, int limit) {
            return List.of();
        }

        @Override
        public List<DeviceLogEntry> query(LogQuery query) {
            queries.incrementAndGet();
            Runnable hook = beforeQuery;
            if (hook != null) {
                beforeQuery = null;
                hook.run();
            }
            if (queryFailure != null) {
                throw queryFailure;
            }
            List<DeviceLogEntry> out = new ArrayList<>();
            for (DeviceLogEntry e : stored) {
                if (e.id() > query.afterId() && query.matches(e) && out.size() < query.limit()) {
                    out.add(e);
                }
            }
            return out;
        }

        @Override
        public AutoCloseable follow(String deviceId, Consumer<DeviceLogEntry> listener, Consumer<String> onEnd) {
            this.follower = listener;
            this.onEnd = onEnd;
            return () -> this.follower = null;
        }
    }

    /** The access log, in memory. */
    static final class AccessLog implements AccessLogService {
        final List<AccessRecord> records = new CopyOnWriteArrayList<>();

        @Override
        public void record(AccessRecord record) {
            records.add(record);
        }

        @Override
        public List<AccessRecord> query(AccessQuery query) {
            return List.copyOf(records);
        }
    }

    /**
     * The client's side: records what it is sent, completes each send at once unless {@link #hold} is set (a client
     * that does not read), and remembers pings and the close.
     */
    static final class Peer implements WsConnection.Peer {
        final BlockingQueue<String> received = new LinkedBlockingQueue<>();
        final List<Consumer<Throwable>> pending = new CopyOnWriteArrayList<>();
        final AtomicInteger pings = new AtomicInteger();
        volatile boolean hold;
        volatile Integer closeCode;
        volatile String closeReason;

        @Override
        public void send(String text, Consumer<Throwable> done) {
            received.add(text);
            if (hold) {
                pending.add(done);
            } else {
                done.accept(null);
            }
        }

        @Override
        public void ping() {
            pings.incrementAndGet();
        }

        @Override
        public void close(int code, String reason) {
            closeReason = reason;
            closeCode = code;
        }

        /** The next message sent to the client, as JSON; fails after 5 s. */
        JsonNode next() throws Exception {
            String text = received.poll(5, TimeUnit.SECONDS);
            assertThat(text).as("a message to the client").isNotNull();
            return RestJson.MAPPER.readTree(text);
        }

        /** Whether nothing more is sent within a short while. */
        boolean quietFor(long ms) throws InterruptedException {
            return received.poll(ms, TimeUnit.MILLISECONDS) == null;
        }
    }
}
