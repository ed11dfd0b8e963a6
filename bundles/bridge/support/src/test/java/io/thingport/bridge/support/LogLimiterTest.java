package io.thingport.bridge.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The rate limit of the warnings a peer can provoke. */
class LogLimiterTest {
    @Test
    void oneWarningPerIntervalAndCategoryWithTheCountLeftOut() {
        // Verifies that within an interval only the first warning of a category is allowed, the others are counted and
        // reported with the next allowed one, and that categories are independent.
        // GIVEN a limiter of one per 60 s on a hand-driven clock
        AtomicLong now = new AtomicLong(1_000);
        LogLimiter limiter = new LogLimiter(60_000, now::get);
        // WHEN / THEN
        assertThat(limiter.allow("token")).isZero();
        assertThat(limiter.allow("token")).isEqualTo(-1);
        assertThat(limiter.allow("token")).isEqualTo(-1);
        assertThat(limiter.allow("unknown")).isZero();
        now.addAndGet(60_000);
        assertThat(limiter.allow("token")).isEqualTo(2);
        assertThat(limiter.allow("token")).isEqualTo(-1);
    }
}
