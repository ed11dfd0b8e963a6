package io.thingport.network.mqtt.server;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import java.util.concurrent.CompletionException;

/**
 * What the server answers a device once the platform has answered one of its PUBLISH packets: the PUBACK only after
 * the message was stored, a refusal for a topic the device may not publish to, and silence plus a closed connection
 * when the platform could not store it (so the device keeps the message and sends it again).
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
    /** Not stored: close the connection without acknowledging. */
    CLOSE_NOT_STORED;

    /**
     * @param v5    whether the connection speaks MQTT 5
     * @param qos   the PUBLISH's QoS (0 or 1)
     * @param error {@code null} if the platform stored the message, else why not (possibly a CompletionException)
     */
    static UplinkAnswer of(boolean v5, MqttQoS qos, Throwable error) {
        Throwable cause = cause(error);
        if (cause == null) {
            return qos == MqttQoS.AT_LEAST_ONCE ? PUBACK : NONE;
        }
        if (cause instanceof ThingportException te && te.code() == ErrorCode.FORBIDDEN) {
            return v5 && qos == MqttQoS.AT_LEAST_ONCE ? PUBACK_NOT_AUTHORIZED : CLOSE_FORBIDDEN;
        }
        return CLOSE_NOT_STORED;
    }

    /** The platform's error without the CompletionException a composed stage wraps it in. */
    static Throwable cause(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }
}
