package io.thingport.core.internal.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.core.internal.storage.TimeRange;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The cursors of property-history pages, without storage. */
class HistoryCursorTest {
    private static final HistoryCursor.Scope SCOPE = new HistoryCursor.Scope("dev-1", "temp", new TimeRange(1000L, 9000L));
    private static final ReportPosition POSITION = new ReportPosition(5000, 42);

    @Test
    void aCursorNamesThePositionItWasIssuedFor() {
        // Verifies the round trip, and that the cursor is URL-safe text with nothing to escape.
        // GIVEN / WHEN
        String cursor = HistoryCursor.encode(SCOPE, POSITION);
        // THEN
        assertThat(cursor).matches("[A-Za-z0-9_-]+");
        assertThat(HistoryCursor.decode(SCOPE, cursor)).isEqualTo(POSITION);
        ReportPosition extreme = new ReportPosition(Long.MIN_VALUE, Long.MAX_VALUE);
        assertThat(HistoryCursor.decode(SCOPE, HistoryCursor.encode(SCOPE, extreme))).isEqualTo(extreme);
        HistoryCursor.Scope open = new HistoryCursor.Scope("dev-1", "temp", TimeRange.ALL);
        assertThat(HistoryCursor.decode(open, HistoryCursor.encode(open, POSITION))).isEqualTo(POSITION);
    }

    @Test
    void aCursorOfAnotherQueryIsRefused() {
        // Verifies that a cursor only works with the device, property and range of the query that issued it.
        // GIVEN
        String cursor = HistoryCursor.encode(SCOPE, POSITION);
        // WHEN / THEN
        for (HistoryCursor.Scope other : List.of(new HistoryCursor.Scope("dev-2", "temp", SCOPE.range()),
                new HistoryCursor.Scope("dev-1", "hum", SCOPE.range()), new HistoryCursor.Scope("dev-1", "temp", TimeRange.ALL),
                new HistoryCursor.Scope("dev-1", "temp", new TimeRange(1000L, null)),
                new HistoryCursor.Scope("dev-1", "temp", new TimeRange(null, 9000L)),
                new HistoryCursor.Scope("dev-1", "temp", new TimeRange(1001L, 9000L)),
                // the same bytes split differently between the device id and the property
                new HistoryCursor.Scope("dev-1t", "emp", SCOPE.range()))) {
            assertNotIssued(other, cursor);
        }
    }

    @Test
    void malformedOrEditedCursorsAreRefused() {
        // Verifies INVALID_ARGUMENT, never another failure, for text that is not a cursor or a cursor with a changed byte.
        // GIVEN
        byte[] bytes = Base64.getUrlDecoder().decode(HistoryCursor.encode(SCOPE, POSITION));
        // WHEN / THEN
        for (String text : List.of("", "not a cursor!", "====", "AAAA", HistoryCursor.encode(SCOPE, POSITION) + "AA",
                Base64.getUrlEncoder().encodeToString(bytes) + "x")) {
            assertNotIssued(SCOPE, text);
        }
        for (int i = 0; i < bytes.length; i++) {
            byte[] edited = bytes.clone();
            edited[i] ^= 1;
            assertNotIssued(SCOPE, Base64.getUrlEncoder().withoutPadding().encodeToString(edited));
        }
    }

    @Test
    void theErrorQuotesOnlyTheStartOfALongCursor() {
        // Verifies that a huge made-up cursor does not make a huge error message.
        // GIVEN
        String huge = "x".repeat(100_000);
        // WHEN / THEN
        assertThatThrownBy(() -> HistoryCursor.decode(SCOPE, huge)).hasMessageStartingWith("cursor '" + "x".repeat(48) + "...'")
                .extracting(e -> e.getMessage().length()).satisfies(n -> assertThat((Integer) n).isLessThan(300));
    }

    private static void assertNotIssued(HistoryCursor.Scope scope, String cursor) {
        assertThatThrownBy(() -> HistoryCursor.decode(scope, cursor)).as("cursor %s for %s", cursor, scope)
                .isInstanceOfSatisfying(ThingportException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("is not one this platform issued");
    }
}
