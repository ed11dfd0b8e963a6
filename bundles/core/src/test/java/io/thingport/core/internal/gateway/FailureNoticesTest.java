package io.thingport.core.internal.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FailureNoticesTest {
    @Test
    void aRevisionFailingUnderLoadGetsOneNoticePerIntervalCountingTheOthers() {
        // Verifies that 10,000 failures of one revision within an interval are one notice, and the next one counts them.
        FailureNotices notices = new FailureNotices();
        Object revision = new Object();
        // GIVEN WHEN the first failure and 9,999 more within the interval
        assertThat(notices.failed(revision, 1_000)).isEqualTo(1);
        long noticed = 0;
        for (int i = 0; i < 9_999; i++) {
            noticed += notices.failed(revision, 1_000 + i % 1_000);
        }
        // THEN only the first was noticed, and the first failure after the interval covers all the others
        assertThat(noticed).isZero();
        assertThat(notices.failed(revision, 1_000 + FailureNotices.INTERVAL_MS)).isEqualTo(10_000);
        assertThat(notices.failed(revision, 2_000 + FailureNotices.INTERVAL_MS)).isZero();
    }

    @Test
    void anotherRevisionIsNoticedAtOnce() {
        // Verifies that the failures of a new revision are not hidden behind the interval of the one before.
        FailureNotices notices = new FailureNotices();
        assertThat(notices.failed("revision 2", 1_000)).isEqualTo(1);
        assertThat(notices.failed("revision 3", 1_001)).isEqualTo(1);
        assertThat(notices.failed("revision 3", 1_002)).isZero();
    }
}
