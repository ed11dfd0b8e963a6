package io.thingport.network.mqtt.server;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.thingport.network.netty.UplinkOutcome;

/**
 * What the server answers a device once the platform has answered one of its PUBLISH packets: the PUBACK only after
 * the message was stored, a refusal for a topic the device may not publish to, nothing yet when the platform is at its
 * bound (the message is offered again after a pause), and silence plus a closed connection when the platform could
 * not store it (so the device keeps the message and sends it again).
 */
enum UplinkAnswer {
    /** Stored, QoS 0: nothing to send. */
    NONE,
    /** Stored, QoS 1: PUBACK. */
    PUBACK,
    /** Forbidden, MQTT 5 and QoS 1: PUBACK with reason code not authorized; the connection stays. */
    PUBACK_NOT_AUTHORIZED,
    /** Forbidden otherwise: close the connection (after a DISCONNECT with reason not authorized on MQTT 5). */
    CLOSE_FORBIDDEN,
    /**
     * The platform is at its bound ({@code UNAVAILABLE}), QoS 0 or 1 alike: nothing is sent, reading stops and the
     * message is offered again after a pause; the connection stays.
     */
    RETRY,
    /** Not stored: close the connection without acknowledging. */
    CLOSE_NOT_STORED;

    /**
     * @param v5    whether the connection speaks MQTT 5
     * @param qos   the PUBLISH's QoS (0 or 1)
     * @param error {@code null} if the platform stored the message, else why not (possibly a CompletionException)
     */
    static UplinkAnswer of(boolean v5, MqttQoS qos, Throwable error) {
        return switch (UplinkOutcome.of(error)) {
            case TAKEN -> qos == MqttQoS.AT_LEAST_ONCE ? PUBACK : NONE;
            case FORBIDDEN -> v5 && qos == MqttQoS.AT_LEAST_ONCE ? PUBACK_NOT_AUTHORIZED : CLOSE_FORBIDDEN;
            case UNAVAILABLE -> RETRY;
            case NOT_STORED -> CLOSE_NOT_STORED;
        };
    }
}
