package io.thingport.core.internal.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.thingport.api.message.MessageHeader;
import io.thingport.api.message.ReportProperties;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeviceSessionTest {
    private static ReportProperties report(String productId, String deviceId) {
        return new ReportProperties(MessageHeader.of("m1", productId, deviceId, 1L), Map.of("temp", 1.0));
    }

    @Test
    void aSessionSpeaksForItsOwnDeviceOnly() {
        // Verifies the one ownership check: the codec's header must name the session's device and product.
        DeviceSession session = TestSessions.session("dev-1", "thermo");
        assertThat(session.refusal(report("thermo", "dev-1"))).isEmpty();
        assertThat(session.refusal(report("thermo", "dev-2"))).contains(
                "the connection of device dev-1 (product thermo) sent a message for device dev-2 (product thermo)");
        assertThat(session.refusal(report("other", "dev-1"))).isPresent();
        assertThat(session.refusal(report(null, "dev-1"))).isPresent();
    }
}
