package io.thingport.network.mqtt.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.network.NetworkComponent;
import io.thingport.api.network.NetworkComponentConfig;
import io.thingport.api.network.TransportConnection;
import io.thingport.api.protocol.EncodedMessage;
import io.thingport.network.testkit.RecordingListener;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The MQTT server against a real MQTT client over a real socket, with a scripted platform behind it (the testkit's
 * {@link RecordingListener}: password {@code good} logs in, {@code disabled} is refused, topics under
 * {@code /forbidden} fail with FORBIDDEN, {@code gate} holds message completion).
 */
class MqttServerTest {
    private final RecordingListener listener = new RecordingListener();
    private NetworkComponent server;
    private String url;

    @BeforeEach
    void start() {
        server = new MqttServerProvider().start(new NetworkComponentConfig("test", "mqtt-server",
                Map.of("host", "127.0.0.1", "port", "0", "maxMessageLength", "1024")), listener);
        url = "tcp://127.0.0.1:" + server.boundAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private MqttClient connect(String clientId, String password, int version) throws MqttException {
        MqttClient client = new MqttClient(url, clientId, new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setUserName(clientId + "|1");
        options.setPassword(password.toCharArray());
        options.setMqttVersion(version);
        options.setAutomaticReconnect(false);
        options.setConnectionTimeout(5);
        client.connect(options);
        return client;
    }

    @Test
    void refusesBadCredentialsWithTheRightReturnCode() {
        // Verifies CONNACK 0x04 for bad credentials and 0x05 for a disabled device (MQTT 3.1.1).
        assertThatThrownBy(() -> connect("d1", "wrong", MqttConnectOptions.MQTT_VERSION_3_1_1))
                .isInstanceOf(MqttException.class).extracting(e -> ((MqttException) e).getReasonCode())
                .isEqualTo((int) MqttException.REASON_CODE_FAILED_AUTHENTICATION);
        assertThatThrownBy(() -> connect("d1", "disabled", MqttConnectOptions.MQTT_VERSION_3_1_1))
                .extracting(e -> ((MqttException) e).getReasonCode()).isEqualTo((int) MqttException.REASON_CODE_NOT_AUTHORIZED);
        assertThat(listener.connections).isEmpty();
    }

    @Test
    void acknowledgesQos1OnlyAfterThePlatformStoredTheMessage() throws Exception {
        // Verifies that PUBACK waits for the platform's stage.
        listener.gate = new CompletableFuture<>();
        MqttClient client = connect("d1", "good", MqttConnectOptions.MQTT_VERSION_3_1_1);
        IMqttDeliveryToken token = client.getTopic("/p1/d1/properties/report").publish(new MqttMessage("{}".getBytes()));
        await().atMost(5, TimeUnit.SECONDS).until(() -> listener.received.size() == 1);
        // Held for 300 ms: no PUBACK may arrive while the platform has not stored the message.
        await().during(300, TimeUnit.MILLISECONDS).atMost(2, TimeUnit.SECONDS).until(() -> !token.isComplete());
        listener.gate.complete(null);
        token.waitForCompletion(5000);
        assertThat(token.isComplete()).isTrue();
        client.disconnect();
        await().atMost(5, TimeUnit.SECONDS).until(() -> listener.disconnects.contains("disconnected by the device"));
    }

    @Test
    void slowStorageStopsReadingFromTheConnectionInsteadOfQueueing() throws Exception {
        // Verifies back-pressure: with storage stalled, at most maxInflight messages are taken from a connection.
        server.close();
        server = new MqttServerProvider().start(new NetworkComponentConfig("slow", "mqtt-server",
                Map.of("host", "127.0.0.1", "port", "0", "maxInflight", "4")), listener);
        url = "tcp://127.0.0.1:" + server.boundAddress().getPort();
        listener.gate = new CompletableFuture<>();
        MqttClient client = connect("d1", "good", MqttConnectOptions.MQTT_VERSION_3_1_1);
        for (int i = 0; i < 50; i++) {
            MqttMessage m = new MqttMessage(("{\"n\":" + i + "}").getBytes());
            m.setQos(0);
            client.getTopic("/p1/d1/properties/report").publish(m);
        }
        await().atMost(5, TimeUnit.SECONDS).until(() -> listener.received.size() == 4);
        // Held for 300 ms: nothing more is read while storage is stalled.
        await().during(300, TimeUnit.MILLISECONDS).atMost(2, TimeUnit.SECONDS).until(() -> listener.received.size() == 4);
        listener.gate.complete(null);
        await().atMost(10, TimeUnit.SECONDS).until(() -> listener.received.size() == 50);
        client.disconnect();
    }

    @Test
    void aMessageThePlatformCouldNotStoreIsNeverAcknowledged() throws Exception {
        // Verifies that a storage failure closes the connection without PUBACK, so the device keeps the message.
        listener.gate = CompletableFuture.failedFuture(new ThingportException(ErrorCode.INTERNAL, "disk full"));
        MqttClient client = connect("d1", "good", MqttConnectOptions.MQTT_VERSION_3_1_1);
        IMqttDeliveryToken token = null;
        try {
            token = client.getTopic("/p1/d1/properties/report").publish(new MqttMessage("{}".getBytes()));
        } catch (MqttException e) {
            // the server closed the connection before publish() returned: no PUBACK either
            assertThat(e.getReasonCode()).isEqualTo(MqttException.REASON_CODE_CONNECTION_LOST);
        }
        await().atMost(5, TimeUnit.SECONDS).until(() -> !client.isConnected());
        assertThat(token != null && token.isComplete() && token.getException() == null).as("no PUBACK").isFalse();
        assertThat(listener.disconnects).anyMatch(r -> r.equals("the platform could not store a message: disk full"));
        client.close(true);
    }

    @Test
    void forbiddenPublishClosesA311Connection() throws Exception {
        // Verifies the 3.1.1 answer to a publish outside the device's topics.
        MqttClient client = connect("d1", "good", MqttConnectOptions.MQTT_VERSION_3_1_1);
        client.getTopic("/forbidden/x").publish(new MqttMessage("{}".getBytes()));
        await().atMost(5, TimeUnit.SECONDS).until(() -> !client.isConnected());
        await().atMost(5, TimeUnit.SECONDS).until(() -> listener.disconnects.stream().anyMatch(r -> r.startsWith("forbidden publish")));
        client.close(true);
    }

    @Test
    void subscriptionAclAndDownlinkDelivery() throws Exception {
        // Verifies SUBACK failure for a forbidden filter and that downlinks reach subscribed topics only.
        MqttClient client = connect("d1", "good", MqttConnectOptions.MQTT_VERSION_3_1_1);
        List<String> got = new CopyOnWriteArrayList<>();
        client.subscribe("/p1/d1/#", (t, m) -> got.add(t + " " + new String(m.getPayload())));
        assertThatThrownBy(() -> client.subscribe("#", 1)).isInstanceOf(MqttException.class);
        TransportConnection connection = listener.connections.get(0);
        connection.send(EncodedMessage.of("/p1/d1/function/invoke", "{\"messageId\":\"m1\"}")).toCompletableFuture()
                .get(5, TimeUnit.SECONDS);
        await().atMost(5, TimeUnit.SECONDS).until(() -> got.contains("/p1/d1/function/invoke {\"messageId\":\"m1\"}"));
        assertThatThrownBy(() -> connection.send(EncodedMessage.of("/other/topic", "x")).toCompletableFuture().get(5, TimeUnit.SECONDS))
                .hasMessageContaining("has not subscribed");
        client.disconnect();
    }

    @Test
    void oversizedMessageClosesTheConnectionAndOthersStayUp() throws Exception {
        // Verifies maxMessageLength and that one bad client does not disturb another.
        MqttClient other = connect("d2", "good", MqttConnectOptions.MQTT_VERSION_3_1_1);
        MqttClient client = connect("d1", "good", MqttConnectOptions.MQTT_VERSION_3_1_1);
        try {
            client.getTopic("/p1/d1/properties/report").publish(new MqttMessage(new byte[2048]));
        } catch (MqttException e) {
            // The server may close the connection before Paho has finished writing the oversized packet.
            assertThat(e.getReasonCode()).isEqualTo((int) MqttException.REASON_CODE_CONNECTION_LOST);
        }
        await().atMost(5, TimeUnit.SECONDS).until(() -> listener.disconnects.stream().anyMatch(r -> r.contains("maxMessageLength 1024")));
        assertThat(listener.received).isEmpty();
        other.getTopic("/p1/d2/properties/report").publish(new MqttMessage("{}".getBytes())).waitForCompletion(5000);
        assertThat(other.isConnected()).isTrue();
        other.disconnect();
        client.close(true);
    }

    @Test
    void willMessageIsDeliveredOnAbnormalDisconnect() throws Exception {
        // Verifies the will message reaches the platform when the device vanishes.
        MqttClient client = new MqttClient(url, "d1", new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setUserName("d1|1");
        options.setPassword("good".toCharArray());
        options.setWill("/p1/d1/event/gone", "{\"messageId\":\"w\"}".getBytes(), 1, false);
        client.connect(options);
        listener.connections.get(0).close("test kills the connection");
        await().atMost(5, TimeUnit.SECONDS)
                .until(() -> listener.received.stream().anyMatch(r -> r.message().topic().equals("/p1/d1/event/gone")));
        assertThat(listener.disconnects).contains("test kills the connection");
        client.close(true);
    }

    @Test
    void garbageAndSilentConnectionsAreClosed() throws Exception {
        // Verifies that non-MQTT bytes are refused and the server keeps serving.
        try (Socket socket = new Socket("127.0.0.1", server.boundAddress().getPort())) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            assertThat(in.read()).as("server closes the connection").isEqualTo(-1);
        }
        MqttClient client = connect("d1", "good", MqttConnectOptions.MQTT_VERSION_3_1_1);
        assertThat(client.isConnected()).isTrue();
        client.disconnect();
    }

    @Test
    void portInUseIsAClearError() {
        // Verifies the error when the port is taken.
        int port = server.boundAddress().getPort();
        assertThatThrownBy(() -> new MqttServerProvider().start(new NetworkComponentConfig("dup", "mqtt-server",
                Map.of("host", "127.0.0.1", "port", Integer.toString(port))), listener))
                .hasMessageContaining("cannot listen on 127.0.0.1:" + port).hasMessageContaining("already in use");
        assertThatThrownBy(() -> new MqttServerProvider().start(new NetworkComponentConfig("bad", "mqtt-server",
                Map.of("port", "70000")), listener)).hasMessageContaining("port 70000 is out of range 0..65535");
        assertThatThrownBy(() -> new MqttServerProvider().start(new NetworkComponentConfig("typo", "mqtt-server",
                Map.of("prot", "1883")), listener)).hasMessageContaining("network component typo: unknown key 'prot'");
        assertThatThrownBy(() -> new MqttServerProvider().start(new NetworkComponentConfig("nan", "mqtt-server",
                Map.of("maxInflight", "many")), listener)).hasMessageContaining("maxInflight 'many' is not a whole number");
    }
}
