package io.thingport.network.mqtt.server;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.thingport.api.protocol.EncodedMessage;
import java.util.Map;

/** A PUBLISH taken off the wire, waiting for (or on its way to) the platform. */
record Uplink(String topic, MqttQoS qos, int packetId, byte[] payload) {
    /** The message the platform receives: topic, payload and the QoS as the {@code qos} header. */
    EncodedMessage message() {
        return new EncodedMessage(topic, payload, Map.of("qos", Integer.toString(qos.value())));
    }
}
