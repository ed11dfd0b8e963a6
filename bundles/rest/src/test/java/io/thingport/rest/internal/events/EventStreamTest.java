package io.thingport.rest.internal.events;

import static io.thingport.rest.internal.events.FakeDeviceLog.entry;
import static org.assertj.core.api.Assertions.assertThat;

import io.thingport.api.access.Role;
import io.thingport.api.device.DeviceLogEntry;
import io.thingport.api.device.LogType;
import io.thingport.rest.internal.auth.Caller;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class EventStreamTest {
    private static final Caller ADMIN = new Caller("alice", Caller.USER, Role.ADMIN, Set.of());
    private static final EventFilter PROPERTIES = EventFilter.of(null, null, List.of("property"), ADMIN);

    private final AtomicInteger closes = new AtomicInteger();

    @Test
    void selectedEntriesArePolledInOrderAndOthersNeverQueued() throws Exception {
        // Verifies offer()/poll(): entries the filter selects come out in order; others are not queued at all.
        // GIVEN a stream of property reports
        EventStream stream = new EventStream(PROPERTIES, 10, closes::incrementAndGet);

        // WHEN a report, an online event and another report are offered
        stream.offer(property(1));
        stream.offer(entry(2, LogType.ONLINE, "online", "p1", "d1"));
        stream.offer(property(3));

        // THEN the two reports are polled in order, then nothing, and the stream still runs
        assertThat(stream.poll(Duration.ZERO).id()).isEqualTo(1);
        assertThat(stream.poll(Duration.ZERO).id()).isEqualTo(3);
        assertThat(stream.poll(Duration.ZERO)).isNull();
        assertThat(stream.endedBecause()).isNull();
        assertThat(stream.filter()).isSameAs(PROPERTIES);
    }

    @Test
    void skippedEntriesDoNotUseTheCapacity() throws Exception {
        // Verifies that entries the filter does not select never fill the queue: a stream is not ended for them.
        // GIVEN a stream of property reports with room for 2
        EventStream stream = new EventStream(PROPERTIES, 2, closes::incrementAndGet);

        // WHEN many entries of other kinds and two reports are offered
        for (int i = 0; i < 100; i++) {
            stream.offer(entry(i, LogType.ONLINE, "online", "p1", "d1"));
        }
        stream.offer(property(101));
        stream.offer(property(102));

        // THEN it runs and holds both reports
        assertThat(stream.endedBecause()).isNull();
        assertThat(stream.poll(Duration.ZERO).id()).isEqualTo(101);
        assertThat(stream.poll(Duration.ZERO).id()).isEqualTo(102);
    }

    @Test
    void aStreamThatFallsBehindIsEndedWithAReasonNotSilentlyThinned() throws Exception {
        // Verifies the overflow rule: one selected entry more than the capacity ends the stream with a reason naming
        // the capacity and how to resume; from then on polls return null (the client is told, and resumes from its
        // last id, instead of silently missing the entry), and later entries are ignored.
        // GIVEN a stream with room for 2 from which the client took one entry
        EventStream stream = new EventStream(PROPERTIES, 2, closes::incrementAndGet);
        stream.offer(property(1));
        assertThat(stream.poll(Duration.ZERO).id()).isEqualTo(1);

        // WHEN three more arrive while the client takes none
        stream.offer(property(2));
        stream.offer(property(3));
        stream.offer(property(4));

        // THEN the stream is ended with the reason
        assertThat(stream.endedBecause()).contains("more than 2 events behind").contains("Last-Event-ID");
        // AND polls return null at once, also after more entries
        stream.offer(property(5));
        assertThat(stream.poll(Duration.ofSeconds(30))).isNull();
        assertThat(stream.poll(Duration.ZERO)).isNull();
        // AND the first reason stays
        stream.end("something else");
        assertThat(stream.endedBecause()).contains("more than 2 events behind");
    }

    @Test
    void anEndedStreamReturnsNullEvenWithEntriesQueued() throws Exception {
        // Verifies that end() stops delivery at once: entries still queued are not handed out after it.
        // GIVEN a stream with two entries queued
        EventStream stream = new EventStream(PROPERTIES, 10, closes::incrementAndGet);
        stream.offer(property(1));
        stream.offer(property(2));

        // WHEN the platform ends it
        stream.end("the platform's API is stopping");

        // THEN polls return null and the reason is kept
        assertThat(stream.poll(Duration.ZERO)).isNull();
        assertThat(stream.endedBecause()).isEqualTo("the platform's API is stopping");
    }

    @Test
    void closeEndsTheStreamAndTellsItsOwner() throws Exception {
        // Verifies close(): the stream ends as "closed", its queue is emptied and the owner's callback runs.
        // GIVEN a stream with an entry queued
        EventStream stream = new EventStream(PROPERTIES, 10, closes::incrementAndGet);
        stream.offer(property(1));

        // WHEN it is closed
        stream.close();

        // THEN it has ended, returns nothing, and its owner was told once
        assertThat(stream.endedBecause()).isEqualTo("closed");
        assertThat(stream.poll(Duration.ZERO)).isNull();
        assertThat(closes).hasValue(1);
    }

    @Test
    void pollWaitsForAnEntryOfferedMeanwhile() throws Exception {
        // Verifies that poll() waits for an entry offered from another thread (the hub's), up to its wait.
        // GIVEN a stream and a thread that offers an entry
        EventStream stream = new EventStream(PROPERTIES, 10, closes::incrementAndGet);
        Thread hub = new Thread(() -> stream.offer(property(7)));

        // WHEN the client polls with a long wait while the entry is offered
        hub.start();
        DeviceLogEntry e = stream.poll(Duration.ofSeconds(30));
        hub.join();

        // THEN it receives the entry
        assertThat(e.id()).isEqualTo(7);
    }

    private static DeviceLogEntry property(long id) {
        return entry(id, LogType.UPLINK, "properties/report", "p1", "d1");
    }
}
