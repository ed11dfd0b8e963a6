package io.thingport.rest.internal.ws;

import static org.assertj.core.api.Assertions.assertThat;

import io.thingport.api.ErrorCode;
import org.junit.jupiter.api.Test;

class ServerMessageTest {
    @Test
    void anEventCarriesTheSseStreamsEventUnderItsSubscription() {
        // Verifies the text of an event message: its type, its subscription, then the event as SSE sends it.
        // GIVEN / WHEN
        String text = ServerMessage.event("a", Fakes.property(42, "p1", "d1"));

        // THEN
        assertThat(text).isEqualTo("{\"type\":\"event\",\"sub\":\"a\",\"event\":{\"id\":42,\"kind\":\"property\","
                + "\"timestamp\":\"2026-12-03T10:00:00Z\",\"deviceId\":\"d1\",\"productId\":\"p1\","
                + "\"messageType\":\"properties/report\",\"messageId\":\"m42\",\"topic\":\"/p1/d1/properties/report\","
                + "\"data\":{\"temperature\":42}}}");
    }

    @Test
    void noticesLeaveOutWhatTheyDoNotHave() {
        // Verifies the text of the notices and errors, without null fields.
        // GIVEN / WHEN / THEN
        assertThat(ServerMessage.subscribed("a")).isEqualTo("{\"type\":\"subscribed\",\"sub\":\"a\"}");
        assertThat(ServerMessage.unsubscribed("a")).isEqualTo("{\"type\":\"unsubscribed\",\"sub\":\"a\"}");
        assertThat(ServerMessage.gap("a", "m")).isEqualTo("{\"type\":\"gap\",\"sub\":\"a\",\"message\":\"m\"}");
        assertThat(ServerMessage.dropped("a", "m")).isEqualTo("{\"type\":\"dropped\",\"sub\":\"a\",\"message\":\"m\"}");
        assertThat(ServerMessage.error(new WsError(null, ErrorCode.MALFORMED, "bad")))
                .isEqualTo("{\"type\":\"error\",\"code\":\"malformed\",\"message\":\"bad\"}");
        assertThat(ServerMessage.error(new WsError("a", "invalid_argument", "x", "types")))
                .isEqualTo("{\"type\":\"error\",\"sub\":\"a\",\"code\":\"invalid_argument\",\"message\":\"x\","
                        + "\"field\":\"types\"}");
    }
}
