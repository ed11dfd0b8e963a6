package io.thingport.bridge.ctwing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The clock offset from GET /echo. */
class ClockOffsetTest {

    @Test
    void offsetIsServerMinusMidpoint() {
        // Verifies that the offset is the gateway time minus the middle of the request, positive when it is ahead.
        // GIVEN a request sent at 1000 and answered at 1200, the gateway saying 6100
        // WHEN / THEN
        assertThat(ClockOffset.offsetMillis(6100, 1000, 1200)).isEqualTo(5000);
        assertThat(ClockOffset.offsetMillis(900, 1000, 1200)).isEqualTo(-200);
        assertThat(ClockOffset.correctedNow(10_000, -200)).isEqualTo(9800);
        assertThatThrownBy(() -> ClockOffset.offsetMillis(1, 10, 5)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void headerValueIsParsed() {
        // Verifies that x-ag-timestamp is parsed as epoch ms; missing or non-numeric is a BAD_RESPONSE naming the header.
        // GIVEN / WHEN / THEN
        assertThat(ClockOffset.serverMillis(" 1650554828842 ")).isEqualTo(1650554828842L);
        assertThatThrownBy(() -> ClockOffset.serverMillis(null)).isInstanceOfSatisfying(CtwingApiException.class,
                e -> assertThat(e.kind()).isEqualTo(CtwingApiException.Kind.BAD_RESPONSE)).hasMessageContaining("x-ag-timestamp");
        assertThatThrownBy(() -> ClockOffset.serverMillis("Thu, 21 Apr 2022")).hasMessageContaining("not epoch milliseconds");
    }
}
