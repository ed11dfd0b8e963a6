package io.thingport.network.mqtt.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.network.netty.UplinkOutcome;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** What the server answers a PUBLISH once the platform answered it, alone: no channel. */
class UplinkAnswerTest {
    private static final ThingportException FORBIDDEN = new ThingportException(ErrorCode.FORBIDDEN, "not your topic");
    private static final ThingportException DISK_FULL = new ThingportException(ErrorCode.INTERNAL, "disk full");
    private static final ThingportException BUSY = new ThingportException(ErrorCode.UNAVAILABLE, "at the bound of in-flight uplinks");

    @Test
    void aStoredMessageIsAcknowledgedOnlyAtQos1() {
        // Verifies that a stored QoS 1 message gets its PUBACK and a stored QoS 0 message nothing, on both versions.
        for (boolean v5 : new boolean[] {false, true}) {
            // GIVEN a message the platform stored
            // WHEN the answer is decided
            // THEN QoS 1 is acknowledged, QoS 0 not
            assertThat(UplinkAnswer.of(v5, MqttQoS.AT_LEAST_ONCE, null)).isEqualTo(UplinkAnswer.PUBACK);
            assertThat(UplinkAnswer.of(v5, MqttQoS.AT_MOST_ONCE, null)).isEqualTo(UplinkAnswer.NONE);
        }
    }

    @Test
    void aForbiddenQos1PublishOnMqtt5IsRefusedInItsPubAck() {
        // Verifies that MQTT 5 refuses a forbidden QoS 1 publish with a PUBACK reason code and keeps the connection.
        // GIVEN a QoS 1 publish the platform refused as FORBIDDEN, on MQTT 5
        // WHEN the answer is decided
        UplinkAnswer answer = UplinkAnswer.of(true, MqttQoS.AT_LEAST_ONCE, FORBIDDEN);

        // THEN it is a PUBACK with reason "not authorized"
        assertThat(answer).isEqualTo(UplinkAnswer.PUBACK_NOT_AUTHORIZED);
    }

    @Test
    void aForbiddenPublishWithoutAPubAckToCarryTheRefusalClosesTheConnection() {
        // Verifies that a forbidden publish closes the connection on MQTT 3.1.1, and at QoS 0 on MQTT 5.
        // GIVEN publishes the platform refused as FORBIDDEN
        // WHEN the answers are decided
        // THEN the connection is closed
        assertThat(UplinkAnswer.of(false, MqttQoS.AT_LEAST_ONCE, FORBIDDEN)).isEqualTo(UplinkAnswer.CLOSE_FORBIDDEN);
        assertThat(UplinkAnswer.of(false, MqttQoS.AT_MOST_ONCE, FORBIDDEN)).isEqualTo(UplinkAnswer.CLOSE_FORBIDDEN);
        assertThat(UplinkAnswer.of(true, MqttQoS.AT_MOST_ONCE, FORBIDDEN)).isEqualTo(UplinkAnswer.CLOSE_FORBIDDEN);
    }

    @Test
    void aMessageThatWasNotStoredIsNeverAcknowledged() {
        // Verifies that any other failure closes the connection without a PUBACK, so the device sends it again.
        // GIVEN a QoS 1 message the platform could not store
        // WHEN the answer is decided on both versions
        // THEN the connection closes unacknowledged
        assertThat(UplinkAnswer.of(false, MqttQoS.AT_LEAST_ONCE, DISK_FULL)).isEqualTo(UplinkAnswer.CLOSE_NOT_STORED);
        assertThat(UplinkAnswer.of(true, MqttQoS.AT_LEAST_ONCE, DISK_FULL)).isEqualTo(UplinkAnswer.CLOSE_NOT_STORED);
        assertThat(UplinkAnswer.of(true, MqttQoS.AT_LEAST_ONCE, new IllegalStateException("boom")))
                .isEqualTo(UplinkAnswer.CLOSE_NOT_STORED);
    }

    @Test
    void aMessageThePlatformDidNotTakeForNowIsOfferedAgainUnacknowledgedAtEitherQos() {
        // Verifies that UNAVAILABLE (the platform at its bound) neither acknowledges nor closes: the message is retried,
        // QoS 0 as well as QoS 1, on both versions, also when a composed stage wrapped the refusal.
        for (boolean v5 : new boolean[] {false, true}) {
            // GIVEN a message the platform did not take because it is at its bound
            // WHEN the answer is decided
            // THEN it is offered again, not acknowledged and not a reason to close
            assertThat(UplinkAnswer.of(v5, MqttQoS.AT_LEAST_ONCE, BUSY)).isEqualTo(UplinkAnswer.RETRY);
            assertThat(UplinkAnswer.of(v5, MqttQoS.AT_MOST_ONCE, BUSY)).isEqualTo(UplinkAnswer.RETRY);
            assertThat(UplinkAnswer.of(v5, MqttQoS.AT_LEAST_ONCE, new CompletionException(BUSY))).isEqualTo(UplinkAnswer.RETRY);
        }
    }

    @Test
    void aRefusalWrappedByAComposedStageIsStillSeen() {
        // Verifies that the platform's error is found inside the CompletionException a composed stage wraps it in.
        // GIVEN a FORBIDDEN refusal wrapped in a CompletionException
        CompletionException wrapped = new CompletionException(FORBIDDEN);

        // WHEN the answer is decided and the cause unwrapped
        UplinkAnswer answer = UplinkAnswer.of(true, MqttQoS.AT_LEAST_ONCE, wrapped);

        // THEN the refusal is recognised and its message is the platform's
        assertThat(answer).isEqualTo(UplinkAnswer.PUBACK_NOT_AUTHORIZED);
        assertThat(UplinkOutcome.cause(wrapped)).isSameAs(FORBIDDEN);
        assertThat(UplinkOutcome.cause(null)).isNull();
    }
}
