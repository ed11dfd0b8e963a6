package io.thingport.network.mqtt.server;

import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.thingport.api.protocol.AuthFailure;

/**
 * How the platform's refusals read on the wire: the CONNACK return codes of MQTT 3.1.1 and the reason codes of
 * MQTT 5 for a refused login, a refused or malformed subscription, an unsubscription and a DISCONNECT sent by the
 * server. Pure functions of the protocol version and the platform's answer; the handler only writes what they say.
 */
final class MqttReasonCodes {
    /** MQTT 5 DISCONNECT / PUBACK: not authorized. */
    static final byte NOT_AUTHORIZED = (byte) 0x87;
    /** MQTT 5 DISCONNECT: packet too large. */
    static final byte PACKET_TOO_LARGE = (byte) 0x95;
    /** MQTT 5 DISCONNECT: QoS not supported. */
    static final byte QOS_NOT_SUPPORTED = (byte) 0x9B;
    /** MQTT 5 DISCONNECT: protocol error. */
    static final byte PROTOCOL_ERROR = (byte) 0x82;

    static final int SUBACK_FAILURE_V3 = 0x80;
    static final int SUBACK_NOT_AUTHORIZED_V5 = 0x87;
    static final int SUBACK_BAD_FILTER_V5 = 0x8F;

    static final short UNSUBACK_SUCCESS = 0x00;
    static final short UNSUBACK_NO_SUBSCRIPTION_EXISTED = 0x11;

    private MqttReasonCodes() {
    }

    /** The CONNACK code when authentication failed with an error (or no result), not with a refusal. */
    static MqttConnectReturnCode authenticationError(boolean v5) {
        return v5 ? MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE_5
                : MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE;
    }

    /**
     * The CONNACK code for a login the platform refused: bad credentials (0x04 / 0x86), the platform busy (0x03 server
     * unavailable / 0x89 server busy) or not authorized (0x05 / 0x87).
     */
    static MqttConnectReturnCode loginRefused(boolean v5, AuthFailure failure) {
        if (failure == AuthFailure.SERVER_BUSY) {
            return v5 ? MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_BUSY : MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE;
        }
        if (failure.badCredentials()) {
            return v5 ? MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USERNAME_OR_PASSWORD
                    : MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD;
        }
        return v5 ? MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED_5
                : MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED;
    }

    /** The SUBACK code for a topic filter that is not well formed. */
    static int subAckBadFilter(boolean v5) {
        return v5 ? SUBACK_BAD_FILTER_V5 : SUBACK_FAILURE_V3;
    }

    /** The SUBACK code for a topic filter the protocol's ACL does not allow. */
    static int subAckNotAuthorized(boolean v5) {
        return v5 ? SUBACK_NOT_AUTHORIZED_V5 : SUBACK_FAILURE_V3;
    }

    /** The SUBACK code for an accepted subscription: the QoS granted, at most 1 (QoS 2 is not supported). */
    static int subAckGranted(MqttQoS requested) {
        return Math.min(requested.value(), 1);
    }

    /** The MQTT 5 UNSUBACK reason code for one topic filter. */
    static short unsubAck(boolean removed) {
        return removed ? UNSUBACK_SUCCESS : UNSUBACK_NO_SUBSCRIPTION_EXISTED;
    }

    /** A PUBLISH topic name must not be empty nor contain the wildcards {@code +} or {@code #}. */
    static boolean isValidTopicName(String topic) {
        return !(topic.contains("+") || topic.contains("#") || topic.isEmpty());
    }
}
