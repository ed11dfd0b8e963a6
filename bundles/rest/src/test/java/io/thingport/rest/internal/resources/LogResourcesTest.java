package io.thingport.rest.internal.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.access.AccessLogService;
import io.thingport.api.access.AccessQuery;
import io.thingport.api.access.AccessRecord;
import io.thingport.api.access.SystemEvent;
import io.thingport.api.access.SystemLogQuery;
import io.thingport.api.access.SystemLogService;
import io.thingport.rest.internal.http.FieldException;
import io.thingport.rest.internal.http.Page;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class LogResourcesTest {
    /** An access log of records 1..n, answering queries as the service's contract says: newest first, older than beforeId. */
    static final class Log implements AccessLogService, SystemLogService {
        final List<AccessQuery> accessQueries = new ArrayList<>();
        final List<SystemLogQuery> systemQueries = new ArrayList<>();
        final long size;

        Log(long size) {
            this.size = size;
        }

        @Override
        public void record(AccessRecord record) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<AccessRecord> query(AccessQuery q) {
            accessQueries.add(q);
            return LongStream.rangeClosed(1, size).boxed().sorted(Comparator.reverseOrder())
                    .filter(id -> q.beforeId() == null || id < q.beforeId()).limit(q.limit())
                    .map(id -> new AccessRecord(id, Instant.EPOCH, "api", "root", "user", "GET /api/v1/rules", "127.0.0.1", 200,
                            "ok", 1))
                    .toList();
        }

        @Override
        public void record(String level, String category, String source, String message) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<SystemEvent> query(SystemLogQuery q) {
            systemQueries.add(q);
            return LongStream.rangeClosed(1, size).boxed().sorted(Comparator.reverseOrder())
                    .filter(id -> q.beforeId() == null || id < q.beforeId()).limit(q.limit())
                    .map(id -> new SystemEvent(id, Instant.EPOCH, "INFO", "rule", "hot", "started")).toList();
        }
    }

    // Verifies that following the cursors walks the whole log once, newest first, each page older than the last.
    @Test
    void walksTheAccessLogByCursor() {
        // GIVEN a log of 5 records
        Log log = new Log(5);
        AccessLogResource resource = Callers.as(Callers.ADMIN, new AccessLogResource(log));

        // WHEN it is read 2 at a time, following next
        List<Long> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Page<AccessRecord> page = resource.query(null, null, null, null, null, cursor, 2);
            page.items().forEach(r -> seen.add(r.id()));
            cursor = page.next();
            pages++;
        } while (cursor != null && pages < 10);

        // THEN every record came once in order, and each query asked for records older than the last page's oldest
        assertThat(seen).containsExactly(5L, 4L, 3L, 2L, 1L);
        assertThat(log.accessQueries).extracting(AccessQuery::beforeId).containsExactly(null, 4L, 2L);
    }

    // Verifies that the query parameters become the service's query, and bad ones are refused naming them.
    @Test
    void mapsAccessLogParameters() {
        // GIVEN / WHEN
        AccessQuery q = AccessLogResource.toQuery("2026-12-01T00:00:00Z", null, "SHELL", "root", "not_found", "42", 10);

        // THEN
        assertThat(q).isEqualTo(new AccessQuery(Instant.parse("2026-12-01T00:00:00Z"), null, "shell", "root", "not_found", 42L,
                10));
        assertThat(AccessLogResource.toQuery(null, null, null, " ", "", null, null).limit()).isEqualTo(100);
        assertThatThrownBy(() -> AccessLogResource.toQuery(null, null, "mqtt", null, null, null, null))
                .extracting(e -> ((FieldException) e).field()).isEqualTo("channel");
        assertThatThrownBy(() -> AccessLogResource.toQuery("yesterday", null, null, null, null, null, null))
                .extracting(e -> ((FieldException) e).field()).isEqualTo("from");
        assertThatThrownBy(() -> AccessLogResource.toQuery(null, null, null, null, null, "abc", null))
                .extracting(e -> ((FieldException) e).field()).isEqualTo("cursor");
        assertThatThrownBy(() -> AccessLogResource.toQuery(null, null, null, null, null, null, 1001))
                .extracting(e -> ((FieldException) e).field()).isEqualTo("limit");
    }

    // Verifies that the system log takes a level in any case and pages like the access log.
    @Test
    void queriesTheSystemLog() {
        // GIVEN a log of 3 events
        Log log = new Log(3);
        SystemLogResource resource = Callers.as(Callers.ADMIN, new SystemLogResource(log));

        // WHEN the warnings of category rule are read 3 at a time
        Page<SystemEvent> page = resource.query(null, "2026-12-02T00:00:00Z", "warn", "rule", null, null, 3);

        // THEN the query is the service's, and a full page has a cursor (the oldest event's id)
        assertThat(log.systemQueries.get(0)).isEqualTo(new SystemLogQuery(null, Instant.parse("2026-12-02T00:00:00Z"), "WARN",
                "rule", null, null, 3));
        assertThat(page.next()).isEqualTo("1");
        assertThatThrownBy(() -> SystemLogResource.toQuery(null, null, "debug", null, null, null, null))
                .extracting(e -> ((FieldException) e).field()).isEqualTo("level");
    }

    // Verifies that an admin limited to some products may not read the logs.
    @Test
    void refusesACallerLimitedToSomeProducts() {
        // GIVEN / WHEN / THEN
        Log log = new Log(1);
        assertThatThrownBy(() -> Callers.as(Callers.LIMITED_ADMIN, new AccessLogResource(log)).query(null, null, null, null,
                null, null, null)).extracting(e -> ((ThingportException) e).code()).isEqualTo(ErrorCode.FORBIDDEN);
        assertThatThrownBy(() -> Callers.as(Callers.LIMITED_ADMIN, new SystemLogResource(log)).query(null, null, null, null,
                null, null, null)).extracting(e -> ((ThingportException) e).code()).isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(log.accessQueries).isEmpty();
        assertThat(log.systemQueries).isEmpty();
    }
}
