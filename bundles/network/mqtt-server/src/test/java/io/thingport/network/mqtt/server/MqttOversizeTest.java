package io.thingport.network.mqtt.server;

import static io.thingport.network.mqtt.server.RawMqttClient.concat;
import static io.thingport.network.mqtt.server.RawMqttClient.connectPacket;
import static io.thingport.network.mqtt.server.RawMqttClient.packet;
import static io.thingport.network.mqtt.server.RawMqttClient.string;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.thingport.api.network.NetworkComponent;
import io.thingport.api.network.NetworkComponentConfig;
import io.thingport.network.testkit.RecordingListener;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Packets that declare a remaining length above {@code maxMessageLength}, or a malformed one, close the connection as
 * soon as their fixed header is read: the server neither waits for the rest of the packet nor for
 * {@code connectTimeout} / the keep-alive. Raw sockets, so that a client can send a fixed header and nothing more.
 */
class MqttOversizeTest {
    /** How long the server may take to close: far below the 30 s {@code connectTimeout} of the component. */
    private static final Duration AT_ONCE = Duration.ofSeconds(5);
    private static final String TOO_LARGE = "message larger than maxMessageLength 1024 bytes";
    /** A remaining length of 268,435,455 bytes, the largest MQTT can express. */
    private static final byte[] HUGE = {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x7F};
    /** A remaining length whose fourth byte still has the continuation bit: never valid. */
    private static final byte[] MALFORMED = {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF};
    private static final String TOPIC = "/p1/d1/properties/report";

    private final RecordingListener listener = new RecordingListener();
    private NetworkComponent server;
    private RawMqttClient client;

    @BeforeEach
    void start() {
        server = new MqttServerProvider().start(new NetworkComponentConfig("big", "mqtt-server",
                Map.of("host", "127.0.0.1", "port", "0", "maxMessageLength", "1024", "connectTimeout", "30")), listener);
    }

    @AfterEach
    void stop() throws IOException {
        if (client != null) {
            client.close();
        }
        server.close();
    }

    @Test
    void aConnectDeclaringAHugeLengthIsRefusedAsSoonAsItsHeaderIsRead() throws Exception {
        // GIVEN a new connection WHEN it sends only a CONNECT fixed header declaring 268,435,455 bytes
        client = RawMqttClient.connect(server).write(concat(new byte[] {0x10}, HUGE));

        // THEN the server closes it at once, not after connectTimeout, and the platform heard of nothing
        await().atMost(AT_ONCE).until(client::isClosed);
        assertThat(listener.logins).isEmpty();
        assertThat(listener.connections).isEmpty();
    }

    @Test
    void aConnectWithAMalformedRemainingLengthIsRefusedAtOnce() throws Exception {
        // GIVEN a new connection WHEN its CONNECT's remaining length has a continuation bit on the 4th byte
        client = RawMqttClient.connect(server).write(concat(new byte[] {0x10}, MALFORMED));

        // THEN the server closes it at once
        await().atMost(AT_ONCE).until(client::isClosed);
        assertThat(listener.logins).isEmpty();
    }

    @Test
    void aHugeDeclarationSplitOverSegmentsIsRefusedOnceTheLastLengthByteArrives() throws Exception {
        // GIVEN a fixed header that arrives in three segments
        client = RawMqttClient.connect(server).write(new byte[] {0x10});
        Thread.sleep(100);
        client.write(new byte[] {(byte) 0xFF, (byte) 0xFF});
        Thread.sleep(100);
        assertThat(client.isClosed()).as("open while the length is incomplete").isFalse();

        // WHEN its last length bytes arrive THEN the connection closes at once
        client.write(new byte[] {(byte) 0xFF, 0x7F});
        await().atMost(AT_ONCE).until(client::isClosed);
        assertThat(listener.logins).isEmpty();
    }

    @Test
    void aPublishDeclaringAHugeLengthClosesAnMqtt311ConnectionAtOnce() throws Exception {
        // GIVEN a logged-in MQTT 3.1.1 device without keep-alive (so no timeout would ever close it)
        client = connected(4);

        // WHEN it sends a PUBLISH fixed header declaring 268,435,455 bytes, and nothing more
        client.write(concat(new byte[] {0x30}, HUGE));

        // THEN the connection closes at once with the size reason and nothing reached the platform
        await().atMost(AT_ONCE).until(client::isClosed);
        await().atMost(AT_ONCE).until(() -> listener.disconnects.equals(List.of(TOO_LARGE)));
        assertThat(listener.received).isEmpty();
    }

    @Test
    void aPublishDeclaringAHugeLengthGetsPacketTooLargeOnMqtt5() throws Exception {
        // GIVEN a logged-in MQTT 5 device
        client = connected(5);
        int connAckEnd = client.bytes().length;

        // WHEN it sends a PUBLISH fixed header declaring 268,435,455 bytes
        client.write(concat(new byte[] {0x30}, HUGE));

        // THEN it is told DISCONNECT 0x95 (packet too large) and the connection closes at once
        await().atMost(AT_ONCE).until(client::isClosed);
        byte[] after = Arrays.copyOfRange(client.bytes(), connAckEnd, client.bytes().length);
        assertThat(after).hasSizeGreaterThanOrEqualTo(3);
        assertThat(after[0]).as("DISCONNECT").isEqualTo((byte) 0xE0);
        assertThat(after[2]).as("reason code packet too large").isEqualTo((byte) 0x95);
        assertThat(listener.disconnects).containsExactly(TOO_LARGE);
        assertThat(listener.received).isEmpty();
    }

    @Test
    void aPublishWithAMalformedRemainingLengthClosesAtOnce() throws Exception {
        // GIVEN a logged-in device WHEN a PUBLISH's remaining length runs past four bytes
        client = connected(4);
        client.write(concat(new byte[] {0x30}, MALFORMED));

        // THEN the connection closes at once as malformed
        await().atMost(AT_ONCE).until(client::isClosed);
        await().atMost(AT_ONCE).until(() -> listener.disconnects.size() == 1);
        assertThat(listener.disconnects.get(0)).startsWith("malformed MQTT packet");
        assertThat(listener.received).isEmpty();
    }

    @Test
    void aPacketOfExactlyMaxMessageLengthPassesAndOneByteMoreCloses() throws Exception {
        // GIVEN a logged-in device
        client = connected(4);

        // WHEN it sends a QoS 0 PUBLISH whose remaining length is exactly 1024, split over segments
        byte[] atLimit = publish(1024 - 2 - TOPIC.length());
        client.write(Arrays.copyOfRange(atLimit, 0, 2));
        Thread.sleep(50);
        client.write(Arrays.copyOfRange(atLimit, 2, 500));
        Thread.sleep(50);
        client.write(Arrays.copyOfRange(atLimit, 500, atLimit.length));

        // THEN it reaches the platform; one of 1025 declared bytes closes the connection before its body is sent
        await().atMost(AT_ONCE).until(() -> listener.received.size() == 1);
        assertThat(listener.received.get(0).message().payload()).hasSize(1024 - 2 - TOPIC.length());
        byte[] over = publish(1025 - 2 - TOPIC.length());
        client.write(Arrays.copyOfRange(over, 0, 3));
        await().atMost(AT_ONCE).until(client::isClosed);
        assertThat(listener.disconnects).containsExactly(TOO_LARGE);
        assertThat(listener.received).hasSize(1);
    }

    /** A raw client that sent CONNECT (keep-alive 0, password {@code good}) and received the accepting CONNACK. */
    private RawMqttClient connected(int protocolLevel) throws Exception {
        RawMqttClient c = RawMqttClient.connect(server).write(connectPacket(protocolLevel, 0));
        await().atMost(AT_ONCE).until(() -> c.bytes().length >= 4 && listener.connections.size() == 1);
        byte[] connAck = c.bytes();
        assertThat(connAck[0]).as("CONNACK").isEqualTo((byte) 0x20);
        assertThat(connAck[3]).as("accepted").isEqualTo((byte) 0);
        // MQTT 5's CONNACK carries properties: wait until all of it is here
        await().atMost(AT_ONCE).until(() -> c.bytes().length == 2 + (c.bytes()[1] & 0xFF));
        return c;
    }

    /** A QoS 0 PUBLISH to {@link #TOPIC} with {@code payloadLength} bytes of payload. */
    private static byte[] publish(int payloadLength) {
        return packet(0x30, concat(string(TOPIC), new byte[payloadLength]));
    }
}
