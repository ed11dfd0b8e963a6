package io.thingport.network.mqtt.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttUnsubAckMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.thingport.api.protocol.EncodedMessage;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The packets the MQTT server writes and the will it reads, built and read without a channel. */
class MqttPacketsTest {

    private static Object property(MqttProperties properties, MqttPropertyType type) {
        MqttProperties.MqttProperty<?> property = properties.getProperty(type.value());
        return property == null ? null : property.value();
    }

    @Test
    void anAcceptedMqtt5ConnectionLearnsTheServerLimits() {
        // Verifies that an MQTT 5 CONNACK that accepts carries QoS 1 at most, no retain, no shared subscriptions and the limits.
        // GIVEN an accepted MQTT 5 connection with maxMessageLength 1024 and maxInflight 4
        // WHEN its CONNACK is built
        MqttConnAckMessage ack = MqttPackets.connAck(true, MqttConnectReturnCode.CONNECTION_ACCEPTED, 1024, 4);

        // THEN the properties state the server's limits and no session is present
        MqttProperties props = ack.variableHeader().properties();
        assertThat(ack.variableHeader().connectReturnCode()).isEqualTo(MqttConnectReturnCode.CONNECTION_ACCEPTED);
        assertThat(ack.variableHeader().isSessionPresent()).isFalse();
        assertThat(property(props, MqttPropertyType.MAXIMUM_QOS)).isEqualTo(1);
        assertThat(property(props, MqttPropertyType.RETAIN_AVAILABLE)).isEqualTo(0);
        assertThat(property(props, MqttPropertyType.SHARED_SUBSCRIPTION_AVAILABLE)).isEqualTo(0);
        assertThat(property(props, MqttPropertyType.MAXIMUM_PACKET_SIZE)).isEqualTo(1024);
        assertThat(property(props, MqttPropertyType.RECEIVE_MAXIMUM)).isEqualTo(4);
    }

    @Test
    void refusalsAndMqtt311ConnAcksCarryNoProperties() {
        // Verifies that a CONNACK on MQTT 3.1.1, or one that refuses, carries no properties.
        // GIVEN / WHEN a 3.1.1 CONNACK that accepts and a 5 CONNACK that refuses are built
        MqttConnAckMessage v3 = MqttPackets.connAck(false, MqttConnectReturnCode.CONNECTION_ACCEPTED, 1024, 4);
        MqttConnAckMessage refused = MqttPackets.connAck(true, MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED_5,
                1024, 4);

        // THEN neither has properties
        assertThat(v3.variableHeader().properties().isEmpty()).isTrue();
        assertThat(refused.variableHeader().properties().isEmpty()).isTrue();
        assertThat(refused.variableHeader().connectReturnCode())
                .isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED_5);
    }

    @Test
    void subAckCarriesOneCodePerFilterInOrder() {
        // Verifies that SUBACK carries the packet id and the codes in the order of the filters, on both versions.
        // GIVEN the codes for three filters
        List<Integer> codes = List.of(1, 0x80, 0);

        // WHEN SUBACKs are built for both versions
        MqttSubAckMessage v3 = MqttPackets.subAck(false, 7, codes);
        MqttSubAckMessage v5 = MqttPackets.subAck(true, 7, codes);

        // THEN both carry the packet id, the codes in order and no properties
        for (MqttSubAckMessage ack : List.of(v3, v5)) {
            assertThat(ack.fixedHeader().messageType()).isEqualTo(MqttMessageType.SUBACK);
            assertThat(ack.variableHeader().messageId()).isEqualTo(7);
            assertThat(ack.idAndPropertiesVariableHeader().properties().isEmpty()).isTrue();
            assertThat(ack.payload().reasonCodes()).containsExactly(1, 0x80, 0);
        }
    }

    @Test
    void unsubAckCarriesTheGivenReasonCodes() {
        // Verifies that UNSUBACK carries the MQTT 5 reason codes given, and none for MQTT 3.1.1.
        // GIVEN / WHEN UNSUBACKs with and without reason codes are built
        MqttUnsubAckMessage v5 = (MqttUnsubAckMessage) MqttPackets.unsubAck(9, List.of((short) 0x00, (short) 0x11));
        MqttUnsubAckMessage v3 = (MqttUnsubAckMessage) MqttPackets.unsubAck(9, List.of());

        // THEN the codes are there in order, with the packet id
        assertThat(v5.variableHeader().messageId()).isEqualTo(9);
        assertThat(v5.payload().unsubscribeReasonCodes()).containsExactly((short) 0x00, (short) 0x11);
        assertThat(v3.payload().unsubscribeReasonCodes()).isEmpty();
    }

    @Test
    void serverRepliesCarryTheirReasonCodes() {
        // Verifies PINGRESP, an MQTT 5 DISCONNECT with its reason and PUBACKs with and without a reason code.
        // GIVEN / WHEN the replies are built
        MqttMessage ping = MqttPackets.pingResp();
        MqttMessage disconnect = MqttPackets.disconnect(MqttReasonCodes.PACKET_TOO_LARGE);
        MqttMessage ack = MqttPackets.pubAck(3);
        MqttMessage refused = MqttPackets.pubAck(4, MqttReasonCodes.NOT_AUTHORIZED);

        // THEN each has its type and code
        assertThat(ping.fixedHeader().messageType()).isEqualTo(MqttMessageType.PINGRESP);
        assertThat(disconnect.fixedHeader().messageType()).isEqualTo(MqttMessageType.DISCONNECT);
        assertThat(((MqttReasonCodeAndPropertiesVariableHeader) disconnect.variableHeader()).reasonCode())
                .isEqualTo((byte) 0x95);
        assertThat(ack.fixedHeader().messageType()).isEqualTo(MqttMessageType.PUBACK);
        assertThat(refused.fixedHeader().messageType()).isEqualTo(MqttMessageType.PUBACK);
    }

    @Test
    void aDownlinkIsSentAtQos0AndNotRetained() {
        // Verifies that downlinks go out at QoS 0, not retained, with the platform's topic and payload.
        // GIVEN a platform message
        EncodedMessage message = EncodedMessage.of("/p1/d1/function/invoke", "{\"messageId\":\"m1\"}");

        // WHEN it is built as a PUBLISH
        MqttPublishMessage publish = MqttPackets.downlink(message);
        try {
            // THEN it is QoS 0, not retained, with the same topic and payload
            assertThat(publish.fixedHeader().qosLevel()).isEqualTo(MqttQoS.AT_MOST_ONCE);
            assertThat(publish.fixedHeader().isRetain()).isFalse();
            assertThat(publish.variableHeader().topicName()).isEqualTo("/p1/d1/function/invoke");
            assertThat(ByteBufUtil.getBytes(publish.content())).isEqualTo(message.payload());
        } finally {
            publish.release();
        }
    }

    @Test
    void theWillIsReadWithItsQosAndMarked() {
        // Verifies that a CONNECT's will becomes a platform message with the will's QoS and the will header.
        // GIVEN a CONNECT with a QoS 1 will and one without
        MqttConnectMessage withWill = MqttMessageBuilders.connect().clientId("d1").protocolVersion(MqttVersion.MQTT_3_1_1)
                .willFlag(true).willQoS(MqttQoS.AT_LEAST_ONCE).willTopic("/p1/d1/event/gone")
                .willMessage("bye".getBytes(StandardCharsets.UTF_8)).build();
        MqttConnectMessage withoutWill = MqttMessageBuilders.connect().clientId("d1")
                .protocolVersion(MqttVersion.MQTT_3_1_1).build();

        // WHEN the wills are read
        EncodedMessage will = MqttPackets.will(withWill);

        // THEN only the first has one, with its topic, payload and headers
        assertThat(will.topic()).isEqualTo("/p1/d1/event/gone");
        assertThat(new String(will.payload(), StandardCharsets.UTF_8)).isEqualTo("bye");
        assertThat(will.headers()).isEqualTo(Map.of("qos", "1", "will", "true"));
        assertThat(MqttPackets.will(withoutWill)).isNull();
    }

    @Test
    void anUplinkReachesThePlatformWithItsQos() {
        // Verifies that an uplink is handed to the platform with its topic, payload and QoS header.
        // GIVEN a QoS 1 PUBLISH taken off the wire
        Uplink uplink = new Uplink("/p1/d1/properties/report", MqttQoS.AT_LEAST_ONCE, 5, "{}".getBytes(StandardCharsets.UTF_8));

        // WHEN it becomes a platform message
        EncodedMessage message = uplink.message();

        // THEN it keeps topic and payload and says its QoS
        assertThat(message.topic()).isEqualTo("/p1/d1/properties/report");
        assertThat(message.payload()).isEqualTo(uplink.payload());
        assertThat(message.headers()).isEqualTo(Map.of("qos", "1"));
    }
}
