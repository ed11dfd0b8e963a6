package io.thingport.api.network;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RefusedHandshakesTest {
    private final AtomicLong now = new AtomicLong(0);
    private final List<String> warnings = new ArrayList<>();
    private final RefusedHandshakes refused = new RefusedHandshakes("coaps", warnings::add, now::get);

    @Test
    void theStatusNamesTheCountAndTheLastReason() {
        // Verifies the status text: unchanged without refusals; then the count (singular, plural) and the last reason,
        // which is the innermost cause's message, or its type when it has none.
        assertThat(refused.status("listening on /127.0.0.1:5684")).isEqualTo("listening on /127.0.0.1:5684");
        refused.record("/10.0.0.1:1000", new IOException("outer", new IllegalStateException("Empty client certificate chain")));
        assertThat(refused.status("listening on /127.0.0.1:5684"))
                .isEqualTo("listening on /127.0.0.1:5684; 1 TLS handshake refused (last: /10.0.0.1:1000: Empty client certificate chain)");
        refused.record("/10.0.0.2:2000", new IllegalStateException());
        assertThat(refused.status("listening on /127.0.0.1:5684"))
                .isEqualTo("listening on /127.0.0.1:5684; 2 TLS handshakes refused (last: /10.0.0.2:2000: IllegalStateException)");
        refused.record("/10.0.0.3:3000", "wrong pre-shared key");
        assertThat(refused.status("x")).isEqualTo("x; 3 TLS handshakes refused (last: /10.0.0.3:3000: wrong pre-shared key)");
        assertThat(refused.refused()).isEqualTo(3);
    }

    @Test
    void aFloodOfRefusalsIsCountedInFullThoughLoggedOncePerInterval() {
        // Verifies the rate limit does not lose the count: every refusal counts, whether it was logged or not, and the
        // next warning says how many were not logged.
        for (int i = 0; i < 1000; i++) {
            refused.record("/10.0.0.1:" + i, "bad certificate");
            now.addAndGet(1);
        }
        now.set(RefusedHandshakes.LOG_INTERVAL_MS);
        refused.record("/10.0.0.1:1", "bad certificate");
        assertThat(refused.refused()).isEqualTo(1001);
        assertThat(warnings).containsExactly(
                "Network component coaps: TLS handshake refused, /10.0.0.1:0: bad certificate (1 in all)",
                "Network component coaps: TLS handshake refused, /10.0.0.1:1: bad certificate"
                        + " (1001 in all, 999 more since the last message)");
    }
}
