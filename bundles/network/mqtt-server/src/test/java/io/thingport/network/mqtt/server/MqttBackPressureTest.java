package io.thingport.network.mqtt.server;

import static io.thingport.network.mqtt.server.RawMqttClient.connectPacket;
import static io.thingport.network.mqtt.server.RawMqttClient.publishQos1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.thingport.api.network.NetworkComponent;
import io.thingport.api.network.NetworkComponentConfig;
import io.thingport.network.testkit.RecordingListener;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The MQTT server when the platform is at its bound: the listener answers {@code UNAVAILABLE} (the testkit's
 * {@link RecordingListener#unavailable}) and the server stops reading, offers the message again after a pause and
 * acknowledges it only once taken. Real clients (Paho, or raw bytes where Paho's own keep-alive would interfere) over
 * real sockets.
 */
class MqttBackPressureTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String TOPIC = "/p1/d1/properties/report";

    private final RecordingListener listener = new RecordingListener();
    private final List<MqttClient> clients = new ArrayList<>();
    private NetworkComponent server;
    private RawMqttClient raw;

    @AfterEach
    void stop() throws Exception {
        for (MqttClient c : clients) {
            if (c.isConnected()) {
                c.disconnectForcibly(0, 1000);
            }
            c.close(true);
        }
        if (raw != null) {
            raw.close();
        }
        server.close();
    }

    private void start(String... keys) {
        Map<String, String> properties = new HashMap<>(Map.of("host", "127.0.0.1", "port", "0"));
        for (int i = 0; i < keys.length; i += 2) {
            properties.put(keys[i], keys[i + 1]);
        }
        server = new MqttServerProvider().start(new NetworkComponentConfig("busy", "mqtt-server", properties), listener);
    }

    private MqttClient connect() throws MqttException {
        MqttClient client = new MqttClient("tcp://127.0.0.1:" + server.boundAddress().getPort(), "d1", new MemoryPersistence());
        clients.add(client);
        MqttConnectOptions options = new MqttConnectOptions();
        options.setUserName("d1|1");
        options.setPassword("good".toCharArray());
        options.setAutomaticReconnect(false);
        client.connect(options);
        return client;
    }

    private static IMqttDeliveryToken publish(MqttClient client, String payload, int qos) throws MqttException {
        MqttMessage m = new MqttMessage(payload.getBytes());
        m.setQos(qos);
        return client.getTopic(TOPIC).publish(m);
    }

    private static boolean anyComplete(List<IMqttDeliveryToken> tokens) {
        return tokens.stream().anyMatch(IMqttDeliveryToken::isComplete);
    }

    @Test
    void aQos1MessageIsOfferedAgainAndAcknowledgedOnlyOnceThePlatformTookIt() throws Exception {
        // Verifies UNAVAILABLE on MQTT: no PUBACK and no close; the message goes again after pauses, before the ones
        // sent after it, nothing else is acknowledged meanwhile, and the PUBACKs follow once the platform took them.
        // GIVEN a platform that refuses the next three messages as being at its bound, then holds what it takes
        start();
        listener.unavailable.set(3);
        listener.gate = new CompletableFuture<>();
        MqttClient client = connect();

        // WHEN the device publishes three QoS 1 messages
        List<IMqttDeliveryToken> tokens = new ArrayList<>();
        for (String payload : new String[] {"m1", "m2", "m3"}) {
            tokens.add(publish(client, payload, 1));
        }

        // THEN the first is offered four times (three refusals, then taken), and only then the others, in order
        await().atMost(WAIT).until(() -> listener.received.size() == 6);
        assertThat(listener.texts()).containsExactly("m1", "m1", "m1", "m1", "m2", "m3");
        // AND nothing is acknowledged while the platform has not taken them (held for 300 ms)
        await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> !anyComplete(tokens));

        // AND WHEN the platform has stored them
        listener.gate.complete(null);

        // THEN every message gets its PUBACK, on the same connection
        for (IMqttDeliveryToken token : tokens) {
            token.waitForCompletion(5000);
            assertThat(token.getException()).isNull();
        }
        assertThat(client.isConnected()).isTrue();
        assertThat(listener.connections).hasSize(1);
        assertThat(listener.disconnects).isEmpty();
        assertThat(listener.texts()).hasSize(6);
    }

    @Test
    void aQos0MessageIsOfferedAgainTooInsteadOfDropped() throws Exception {
        // Verifies the documented choice: QoS 0 is retried the same way (nothing is lost for the platform being busy).
        // GIVEN a platform that refuses the next two messages as being at its bound
        start();
        listener.unavailable.set(2);
        MqttClient client = connect();

        // WHEN the device publishes a QoS 0 message, then a QoS 1 one
        publish(client, "q0", 0);
        publish(client, "q1", 1).waitForCompletion(5000);

        // THEN the QoS 0 message was offered until taken, before the QoS 1 one
        assertThat(listener.texts()).containsExactly("q0", "q0", "q0", "q1");
        assertThat(client.isConnected()).isTrue();
    }

    @Test
    void theRetriesEndWithTheConnection() throws Exception {
        // Verifies that a message waiting for its next offer is dropped (never acknowledged) when the connection closes,
        // here by the platform (as when a newer connection of the device replaces it). A device that goes away itself
        // is noticed only once the connection is read again: not reading is the back-pressure.
        // GIVEN a platform that stays at its bound, and a message being offered again and again
        start();
        listener.unavailable.set(Integer.MAX_VALUE);
        MqttClient client = connect();
        IMqttDeliveryToken token = publish(client, "m1", 1);
        await().atMost(WAIT).until(() -> listener.received.size() >= 3);

        // WHEN the platform closes the connection
        listener.connections.get(0).close("replaced by a newer connection");
        await().atMost(WAIT).until(() -> !client.isConnected());
        int offers = listener.received.size();

        // THEN the message is never offered again, nor acknowledged
        await().during(Duration.ofMillis(1500)).atMost(WAIT).until(() -> listener.received.size() == offers);
        assertThat(token.isComplete() && token.getException() == null).as("PUBACK").isFalse();
        assertThat(listener.texts()).containsOnly("m1");
        assertThat(listener.disconnects).containsExactly("replaced by a newer connection");
    }

    @Test
    void aConnectionPausedLongerThanItsKeepAliveStaysOpen() throws Exception {
        // Verifies that a connection not read because the platform is busy is not closed for keep-alive: the device's
        // PINGREQs wait unread in the socket, it is not silent. (Keep-alive 1 s: the server closes after 2 s of silence.)
        // GIVEN a device with keep-alive 1 s that sends no PINGREQ, and a platform at its bound
        start();
        listener.unavailable.set(Integer.MAX_VALUE);
        raw = RawMqttClient.connect(server).write(connectPacket(4, 1));
        await().atMost(WAIT).until(() -> raw.bytes().length == 4 && listener.connections.size() == 1);

        // WHEN it publishes one QoS 1 message and the platform stays at its bound for 3 s, then takes it
        raw.write(publishQos1(TOPIC, 7, "m1"));
        Thread.sleep(3000);
        boolean openWhileBusy = !raw.isClosed();
        boolean unacknowledgedWhileBusy = raw.bytes().length == 4;
        listener.unavailable.set(0);

        // THEN it stayed open and unacknowledged, and gets its PUBACK once the platform took it
        assertThat(openWhileBusy).isTrue();
        assertThat(unacknowledgedWhileBusy).isTrue();
        await().atMost(WAIT).until(() -> raw.bytes().length == 8);
        assertThat(HexFormat.of().formatHex(raw.bytes(), 4, 8)).as("PUBACK of packet 7").isEqualTo("40020007");
        // AND once read again, a silent device is closed for keep-alive as before
        await().atMost(WAIT).until(raw::isClosed);
        assertThat(listener.disconnects).containsExactly("keep-alive timeout");
    }

    @Test
    void aConnectionHeldBySlowStorageLongerThanItsKeepAliveStaysOpen() throws IOException, InterruptedException {
        // Verifies the same for the per-connection bound: with maxInflight messages being stored the connection is not
        // read, and that is not silence.
        // GIVEN a device with keep-alive 1 s, maxInflight 1, and storage that holds its first message
        start("maxInflight", "1");
        listener.gate = new CompletableFuture<>();
        raw = RawMqttClient.connect(server).write(connectPacket(4, 1));
        await().atMost(WAIT).until(() -> raw.bytes().length == 4 && listener.connections.size() == 1);

        // WHEN it publishes two QoS 1 messages and storage takes 3 s
        raw.write(publishQos1(TOPIC, 1, "m1"));
        raw.write(publishQos1(TOPIC, 2, "m2"));
        Thread.sleep(3000);
        boolean openWhileSlow = !raw.isClosed();
        listener.gate.complete(null);

        // THEN it stayed open, and both are stored and acknowledged in order
        assertThat(openWhileSlow).isTrue();
        await().atMost(WAIT).until(() -> raw.bytes().length == 12);
        assertThat(HexFormat.of().formatHex(raw.bytes(), 4, 12)).isEqualTo("4002000140020002");
        assertThat(listener.texts()).containsExactly("m1", "m2");
        assertThat(raw.isClosed()).isFalse();
        assertThat(listener.disconnects).as("not closed for keep-alive").isEmpty();
    }
}
