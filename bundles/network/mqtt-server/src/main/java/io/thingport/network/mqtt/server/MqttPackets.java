package io.thingport.network.mqtt.server;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.IntegerProperty;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttSubAckPayload;
import io.thingport.api.protocol.EncodedMessage;
import java.util.List;
import java.util.Map;

/**
 * The packets the MQTT server writes, built without a channel: what goes in them for MQTT 3.1.1 and for MQTT 5
 * (properties and reason codes only on 5); the codes themselves come from {@link MqttReasonCodes}. Also the will
 * message read out of a CONNECT.
 */
final class MqttPackets {
    private MqttPackets() {
    }

    /** The will message a CONNECT carries, as the platform receives it (headers {@code qos} and {@code will}), or null. */
    static EncodedMessage will(MqttConnectMessage connect) {
        if (!connect.variableHeader().isWillFlag()) {
            return null;
        }
        return new EncodedMessage(connect.payload().willTopic(), connect.payload().willMessageInBytes(),
                Map.of("qos", Integer.toString(connect.variableHeader().willQos()), "will", "true"));
    }

    /**
     * CONNACK with {@code code}, never with a session present. An accepted MQTT 5 connection learns the server's
     * limits: QoS 1 at most, no retained messages, no shared subscriptions, the largest packet and the receive
     * maximum (the in-flight bound).
     */
    static MqttConnAckMessage connAck(boolean v5, MqttConnectReturnCode code, int maxMessageLength, int maxInflight) {
        MqttProperties props = MqttProperties.NO_PROPERTIES;
        if (v5 && code == MqttConnectReturnCode.CONNECTION_ACCEPTED) {
            props = new MqttProperties();
            props.add(new IntegerProperty(MqttPropertyType.MAXIMUM_QOS.value(), 1));
            props.add(new IntegerProperty(MqttPropertyType.RETAIN_AVAILABLE.value(), 0));
            props.add(new IntegerProperty(MqttPropertyType.SHARED_SUBSCRIPTION_AVAILABLE.value(), 0));
            props.add(new IntegerProperty(MqttPropertyType.MAXIMUM_PACKET_SIZE.value(), maxMessageLength));
            props.add(new IntegerProperty(MqttPropertyType.RECEIVE_MAXIMUM.value(), maxInflight));
        }
        return MqttMessageBuilders.connAck().returnCode(code).sessionPresent(false).properties(props).build();
    }

    static MqttMessage pingResp() {
        return new MqttMessage(new MqttFixedHeader(MqttMessageType.PINGRESP, false, MqttQoS.AT_MOST_ONCE, false, 0));
    }

    /** An MQTT 5 DISCONNECT from the server with a reason code. */
    static MqttMessage disconnect(byte reasonCode) {
        return MqttMessageBuilders.disconnect().reasonCode(reasonCode).build();
    }

    static MqttMessage pubAck(int packetId) {
        return MqttMessageBuilders.pubAck().packetId(packetId).build();
    }

    /** An MQTT 5 PUBACK with a reason code. */
    static MqttMessage pubAck(int packetId, byte reasonCode) {
        return MqttMessageBuilders.pubAck().packetId(packetId).reasonCode(reasonCode).build();
    }

    /** SUBACK with one code per requested filter, in order (with an empty property set on MQTT 5). */
    static MqttSubAckMessage subAck(boolean v5, int packetId, List<Integer> codes) {
        MqttFixedHeader header = new MqttFixedHeader(MqttMessageType.SUBACK, false, MqttQoS.AT_MOST_ONCE, false, 0);
        MqttMessageIdVariableHeader id = v5
                ? new MqttMessageIdAndPropertiesVariableHeader(packetId, MqttProperties.NO_PROPERTIES)
                : MqttMessageIdVariableHeader.from(packetId);
        return new MqttSubAckMessage(header, id, new MqttSubAckPayload(codes));
    }

    /** UNSUBACK; MQTT 5 carries one reason code per filter, MQTT 3.1.1 none ({@code reasonCodes} empty). */
    static MqttMessage unsubAck(int packetId, List<Short> reasonCodes) {
        MqttMessageBuilders.UnsubAckBuilder ack = MqttMessageBuilders.unsubAck().packetId(packetId);
        reasonCodes.forEach(ack::addReasonCode);
        return ack.build();
    }

    /** A downlink: QoS 0, not retained, so the device sends no acknowledgement. */
    static MqttPublishMessage downlink(EncodedMessage message) {
        return MqttMessageBuilders.publish().topicName(message.topic()).qos(MqttQoS.AT_MOST_ONCE).retained(false)
                .messageId(0).payload(Unpooled.wrappedBuffer(message.payload())).build();
    }
}
