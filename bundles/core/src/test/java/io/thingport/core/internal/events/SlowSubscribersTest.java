package io.thingport.core.internal.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.thingport.api.device.LogType;
import io.thingport.api.message.DeviceOnline;
import io.thingport.api.message.MessageHeader;
import io.thingport.core.internal.log.DeviceLogServiceImpl;
import io.thingport.core.internal.storage.Storage;
import io.thingport.core.internal.storage.StorageConfiguration;
import io.thingport.core.internal.storage.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** A paused console or a stuck subscriber never delays the storage writer, and is ended when it falls behind. */
@Tag("storage")
class SlowSubscribersTest {
    private final CountDownLatch release = new CountDownLatch(1);
    private final List<Runnable> cleanups = new ArrayList<>();

    @AfterEach
    void tearDown() {
        release.countDown();
        cleanups.forEach(Runnable::run);
    }

    private static void block(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aStuckDeviceLogFollowerDelaysNoWriteAndIsEndedWhenItFallsBehind() throws Exception {
        // Verifies that followers run off the writer thread: with a follower stuck in its first call, every later
        // write still commits; once it is FOLLOW_QUEUE entries behind it is ended with the reason.
        DataSource dataSource = TestDatabase.create();
        Storage storage = new Storage(dataSource);
        cleanups.add(storage::close);
        DeviceLogServiceImpl log = new DeviceLogServiceImpl(storage, new StorageConfiguration(Map.of()));
        AtomicReference<String> ended = new AtomicReference<>();
        log.follow("dev-1", e -> block(release), ended::set);

        List<CompletableFuture<Void>> writes = new ArrayList<>();
        for (int i = 0; i < 1100; i++) {
            writes.add(log.write(LogType.UPLINK, "dev-1", "p", "properties/report", "m" + i, "", "", "", ""));
        }
        CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(ended.get()).isEqualTo("it fell 1000 events behind"));
    }

    @Test
    void aStuckEventSubscriberDoesNotHoldThePublisherAndOthersKeepTheirEvents() {
        // Verifies the event bus: publish returns at once with a stuck subscriber; a healthy one gets every event in
        // order; the stuck one is dropped after QUEUE events.
        DeviceEventBusImpl bus = new DeviceEventBusImpl();
        cleanups.add(bus::deactivate);
        bus.subscribe("/device/#", (topic, m) -> block(release));
        List<String> seen = new CopyOnWriteArrayList<>();
        bus.subscribe("/device/p/+/online", (topic, m) -> seen.add(m.messageId()));
        long started = System.nanoTime();
        for (int i = 0; i < DeviceEventBusImpl.QUEUE + 10; i++) {
            bus.publish(new DeviceOnline(MessageHeader.of("e" + i, "p", "dev-1", i), "node", "127.0.0.1"));
        }
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(seen).hasSize(DeviceEventBusImpl.QUEUE + 10));
        assertThat(seen.get(0)).isEqualTo("e0");
        assertThat(seen.get(seen.size() - 1)).isEqualTo("e" + (DeviceEventBusImpl.QUEUE + 9));
    }

    @Test
    void aSubscriberGetsItsEventsInOrderOneAtATimeAndFailingEndsIt() {
        ExecutorService threads = SubscriberThreads.create("test");
        cleanups.add(threads::shutdownNow);
        List<Integer> got = new CopyOnWriteArrayList<>();
        AtomicReference<String> ended = new AtomicReference<>();
        BoundedSubscriber<Integer> s = new BoundedSubscriber<>(100_000, i -> {
            if (i == 5_000) {
                throw new IllegalStateException("boom");
            }
            got.add(i);
        }, threads, ended::set);
        for (int i = 0; i < 10_000; i++) {
            s.offer(i);
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(ended.get()).isEqualTo(
                "it failed: java.lang.IllegalStateException: boom"));
        assertThat(got).hasSize(5_000).isSorted();
        assertThat(s.offer(1)).isFalse();
    }
}
