package io.thingport.network.mqtt.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class OwnPublicationsTest {
    private final AtomicLong now = new AtomicLong(1_000);
    private final OwnPublications own = new OwnPublications(3, 60_000, now::get);

    @Test
    void aPublicationComesBackOnceAsAnEcho() {
        // Verifies that a message the component published is recognised once per publication, by topic and payload.
        // GIVEN two publications of one message and one of another
        own.published("/p/d/function/invoke", bytes("{\"messageId\":\"m1\"}"));
        own.published("/p/d/function/invoke", bytes("{\"messageId\":\"m1\"}"));
        own.published("/p/d/error", bytes("{\"code\":\"x\"}"));
        // WHEN / THEN the same message on another topic, or another payload on the same topic, is no echo
        assertThat(own.isEcho("/p/d/properties/report", bytes("{\"messageId\":\"m1\"}"))).isFalse();
        assertThat(own.isEcho("/p/d/function/invoke", bytes("{\"messageId\":\"m2\"}"))).isFalse();
        // and each publication is an echo once
        assertThat(own.isEcho("/p/d/function/invoke", bytes("{\"messageId\":\"m1\"}"))).isTrue();
        assertThat(own.isEcho("/p/d/function/invoke", bytes("{\"messageId\":\"m1\"}"))).isTrue();
        assertThat(own.isEcho("/p/d/function/invoke", bytes("{\"messageId\":\"m1\"}"))).isFalse();
        assertThat(own.isEcho("/p/d/error", bytes("{\"code\":\"x\"}"))).isTrue();
        assertThat(own.size()).isZero();
    }

    @Test
    void aPublicationIsForgottenAfterItsTimeToLive() {
        // Verifies the expiry: a device sending the same bytes long after the platform did is not mistaken for an echo.
        own.published("/p/d/direct", bytes("ping"));
        now.addAndGet(60_000);
        assertThat(own.isEcho("/p/d/direct", bytes("ping"))).isFalse();
        assertThat(own.size()).isZero();
    }

    @Test
    void theTableNeverHoldsMoreThanItsCapacity() {
        // Verifies the bound: past the capacity the oldest publications are forgotten first.
        for (int i = 0; i < 10; i++) {
            own.published("/p/d/function/invoke", bytes("m" + i));
            now.incrementAndGet();
        }
        assertThat(own.size()).isEqualTo(3);
        assertThat(own.isEcho("/p/d/function/invoke", bytes("m6"))).isFalse();
        assertThat(own.isEcho("/p/d/function/invoke", bytes("m7"))).isTrue();
        assertThat(own.isEcho("/p/d/function/invoke", bytes("m9"))).isTrue();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
