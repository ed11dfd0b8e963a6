package io.thingport.rest.internal.events;

import static io.thingport.rest.internal.events.FakeDeviceLog.T0;
import static io.thingport.rest.internal.events.FakeDeviceLog.entry;
import static org.assertj.core.api.Assertions.assertThat;

import io.thingport.api.access.Role;
import io.thingport.api.device.DeviceLogEntry;
import io.thingport.api.device.LogQuery;
import io.thingport.api.device.LogType;
import io.thingport.rest.internal.auth.Caller;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.LongFunction;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class EventReplayTest {
    private static final Caller ADMIN = new Caller("alice", Caller.USER, Role.ADMIN, Set.of());
    private static final EventFilter ALL = EventFilter.of(null, null, List.of(), ADMIN);

    private final FakeDeviceLog log = new FakeDeviceLog();

    @Test
    void moreThanAPageIsReadPageByPageOldestFirst() {
        // Verifies paging over more than one query's worth: 2500 stored entries come back whole and in order, read
        // with afterId queries of at most LogQuery.MAX_LIMIT, each after the last id of the one before.
        // GIVEN 2500 online entries
        store(2500, id -> entry(id, LogType.ONLINE, "online", "p1", "d1"));

        // WHEN a client that saw nothing replays with room for all
        EventReplay.Missed missed = EventReplay.after(log, ALL, 0, T0, 10_000);

        // THEN it gets all 2500 in order, not cut, through three queries
        assertThat(ids(missed)).isEqualTo(LongStream.rangeClosed(1, 2500).boxed().toList());
        assertThat(missed.cut()).isFalse();
        assertThat(log.queries).extracting(LogQuery::afterId).containsExactly(0L, 1000L, 2000L);
        assertThat(log.queries).allSatisfy(q -> {
            assertThat(q.limit()).isEqualTo(LogQuery.MAX_LIMIT);
            assertThat(q.from()).isEqualTo(T0);
            assertThat(q.beforeId()).isNull();
        });
    }

    @Test
    void aLogEndingAtAPageBoundaryIsReadToItsEndAndNotCut() {
        // Verifies the boundary: exactly two full pages need a third, empty query, and the result is not cut.
        // GIVEN exactly 2000 entries
        store(2000, id -> entry(id, LogType.ONLINE, "online", "p1", "d1"));

        // WHEN replayed
        EventReplay.Missed missed = EventReplay.after(log, ALL, 0, T0, 10_000);

        // THEN all come back, not cut, after an empty third query
        assertThat(missed.entries()).hasSize(2000);
        assertThat(missed.cut()).isFalse();
        assertThat(log.queries).extracting(LogQuery::afterId).containsExactly(0L, 1000L, 2000L);
    }

    @Test
    void theReplayStartsAfterTheLastIdTheClientSaw() {
        // Verifies lastId: only entries after it are sent, and the first query asks after it.
        // GIVEN 3000 entries, and a client that saw up to 1200
        store(3000, id -> entry(id, LogType.ONLINE, "online", "p1", "d1"));

        // WHEN replayed from 1200
        EventReplay.Missed missed = EventReplay.after(log, ALL, 1200, T0, 10_000);

        // THEN it gets 1201..3000
        assertThat(missed.entries()).hasSize(1800);
        assertThat(missed.entries().get(0).id()).isEqualTo(1201);
        assertThat(missed.entries().get(1799).id()).isEqualTo(3000);
        assertThat(log.queries.get(0).afterId()).isEqualTo(1200L);
    }

    @Test
    void theWindowStartIsPassedOnAsTheQuerysFrom() {
        // Verifies notBefore: entries older than the resume window are not replayed.
        // GIVEN entries whose time is T0 + id ms, and a window starting at T0 + 500 ms
        store(1000, id -> entry(id, LogType.ONLINE, "online", "p1", "d1"));
        Instant notBefore = T0.plusMillis(500);

        // WHEN replayed from the start
        EventReplay.Missed missed = EventReplay.after(log, ALL, 0, notBefore, 10_000);

        // THEN it starts at entry 500
        assertThat(missed.entries().get(0).id()).isEqualTo(500);
        assertThat(missed.entries()).hasSize(501);
        assertThat(log.queries.get(0).from()).isEqualTo(notBefore);
    }

    @Test
    void theMaximumCutsTheReplayAndSaysSo() {
        // Verifies the max bound: at most max entries (the oldest) are sent, with cut=true when one more was
        // selected, also when the bound falls inside a later page.
        // GIVEN 2500 entries
        store(2500, id -> entry(id, LogType.ONLINE, "online", "p1", "d1"));

        // WHEN replayed with room for 10, and for 1500
        EventReplay.Missed ten = EventReplay.after(log, ALL, 0, T0, 10);
        EventReplay.Missed many = EventReplay.after(log, ALL, 0, T0, 1500);

        // THEN each holds the oldest max entries and is cut
        assertThat(ids(ten)).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
        assertThat(ten.cut()).isTrue();
        assertThat(many.entries()).hasSize(1500);
        assertThat(many.entries().get(1499).id()).isEqualTo(1500);
        assertThat(many.cut()).isTrue();
    }

    @Test
    void exactlyTheMaximumIsNotCut() {
        // Verifies that missing exactly max entries is not reported as cut: nothing more was selected.
        // GIVEN 10 entries
        store(10, id -> entry(id, LogType.ONLINE, "online", "p1", "d1"));

        // WHEN replayed with room for 10
        EventReplay.Missed missed = EventReplay.after(log, ALL, 0, T0, 10);

        // THEN all 10 come back, not cut
        assertThat(missed.entries()).hasSize(10);
        assertThat(missed.cut()).isFalse();
    }

    @Test
    void theFilterSelectsWhatIsReplayedAndSkippedEntriesDoNotCountTowardsTheMaximum() {
        // Verifies that the stream's filter applies to the replay (kinds, the caller's products, entries no stream
        // carries) and that the product/device parts go into the query itself.
        // GIVEN 3000 entries cycling: p1 online, p1 report, p2 online, refused login
        store(3000, id -> switch ((int) (id % 4)) {
            case 1 -> entry(id, LogType.ONLINE, "online", "p1", "d1");
            case 2 -> entry(id, LogType.UPLINK, "properties/report", "p1", "d1");
            case 3 -> entry(id, LogType.ONLINE, "online", "p2", "d2");
            default -> entry(id, LogType.AUTH_REFUSED, "", "p1", "d1");
        });
        Caller p1Only = new Caller("app-1", Caller.APPLICATION, Role.VIEWER, Set.of("p1"));
        EventFilter onlineOfP1Caller = EventFilter.of(null, null, List.of("online"), p1Only);
        EventFilter deviceD2 = EventFilter.of(null, "d2", List.of(), ADMIN);

        // WHEN replayed with room for 500 for a p1-only caller's online events, and for device d2
        EventReplay.Missed online = EventReplay.after(log, onlineOfP1Caller, 0, T0, 500);
        log.queries.clear();
        EventReplay.Missed d2 = EventReplay.after(log, deviceD2, 0, T0, 10_000);

        // THEN the first gets p1's online events only, the oldest 500 of 750, cut
        assertThat(online.entries()).hasSize(500).allSatisfy(e -> {
            assertThat(e.type()).isEqualTo(LogType.ONLINE);
            assertThat(e.productId()).isEqualTo("p1");
        });
        assertThat(online.entries().get(499).id()).isEqualTo(1997);
        assertThat(online.cut()).isTrue();
        // AND the second gets d2's 750, with the device in the query
        assertThat(d2.entries()).hasSize(750).allSatisfy(e -> assertThat(e.deviceId()).isEqualTo("d2"));
        assertThat(d2.cut()).isFalse();
        assertThat(log.queries).allSatisfy(q -> assertThat(q.deviceId()).isEqualTo("d2"));
    }

    @Test
    void theScanStopsAfterTenTimesTheMaximumEvenWhenTheFilterSelectsNothing() {
        // Verifies the scan bound: entries the filter skips still count, so a narrow filter reads at most about
        // 10 x max entries (whole pages), then stops and says the replay was cut.
        // GIVEN 5000 online entries and a filter of property reports, with room for 100 (scan bound 1000)
        store(5000, id -> entry(id, LogType.ONLINE, "online", "p1", "d1"));
        EventFilter properties = EventFilter.of(null, null, List.of("property"), ADMIN);

        // WHEN replayed
        EventReplay.Missed missed = EventReplay.after(log, properties, 0, T0, 100);

        // THEN one page was read, nothing found, and the replay is cut
        assertThat(log.queries).hasSize(1);
        assertThat(missed.entries()).isEmpty();
        assertThat(missed.cut()).isTrue();
    }

    @Test
    void theScanBoundKeepsWhatItFoundAndLeavesTheRestUnread() {
        // Verifies the scan bound with sparse matches: what was found within the bound is sent, and entries beyond it
        // are never read.
        // GIVEN 5000 entries of which only 1500 and 4500 are property reports, with room for 150 (scan bound 1500)
        store(5000, id -> id == 1500 || id == 4500 ? entry(id, LogType.UPLINK, "properties/report", "p1", "d1")
                : entry(id, LogType.ONLINE, "online", "p1", "d1"));
        EventFilter properties = EventFilter.of(null, null, List.of("property"), ADMIN);

        // WHEN replayed
        EventReplay.Missed missed = EventReplay.after(log, properties, 0, T0, 150);

        // THEN two pages were read, 1500 was found, and the replay is cut before 4500
        assertThat(log.queries).extracting(LogQuery::afterId).containsExactly(0L, 1000L);
        assertThat(ids(missed)).containsExactly(1500L);
        assertThat(missed.cut()).isTrue();
    }

    @Test
    void nothingMissedIsAnEmptyUncutReplay() {
        // Verifies that a client that saw the newest entry gets nothing, not cut, after one query.
        // GIVEN 5 entries and a client that saw 5
        store(5, id -> entry(id, LogType.ONLINE, "online", "p1", "d1"));

        // WHEN replayed
        EventReplay.Missed missed = EventReplay.after(log, ALL, 5, T0, 100);

        // THEN nothing comes back
        assertThat(missed.entries()).isEmpty();
        assertThat(missed.cut()).isFalse();
        assertThat(log.queries).hasSize(1);
    }

    private void store(long count, LongFunction<DeviceLogEntry> make) {
        for (long id = 1; id <= count; id++) {
            log.stored.add(make.apply(id));
        }
    }

    private static List<Long> ids(EventReplay.Missed missed) {
        return missed.entries().stream().map(DeviceLogEntry::id).toList();
    }
}
