package io.thingport.network.mqtt.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.network.NetworkComponentConfig;
import io.thingport.api.network.TransportConnection;
import io.thingport.api.protocol.AuthFailure;
import io.thingport.api.protocol.AuthRequest;
import io.thingport.api.protocol.AuthResult;
import io.thingport.api.protocol.EncodedMessage;
import io.thingport.api.protocol.Transport;
import io.thingport.network.testkit.FreePorts;
import io.thingport.network.testkit.RecordingListener;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The MQTT client component against a real mosquitto broker; devices are Paho clients publishing to that broker.
 * The platform is the testkit's {@link RecordingListener}, told to accept every brokered device except those whose id
 * starts with {@code bad}.
 */
class MqttClientTest {
    private Mosquitto broker;
    private final RecordingListener listener = brokeredListener();
    private final List<MqttClientComponent> components = new ArrayList<>();
    private final List<MqttClient> clients = new ArrayList<>();
    @TempDir
    Path sessionsDir;

    static RecordingListener brokeredListener() {
        RecordingListener l = new RecordingListener();
        l.auth = MqttClientTest::brokeredAuth;
        return l;
    }

    static AuthResult brokeredAuth(AuthRequest r) {
        if (!r.brokered()) {
            return AuthResult.refuse(AuthFailure.BAD_SIGNATURE, r.clientId(), "not brokered");
        }
        return r.clientId().startsWith("bad")
                ? AuthResult.refuse(AuthFailure.DISABLED_DEVICE, r.clientId(), "disabled")
                : AuthResult.accept(r.clientId(), r.username());
    }

    @BeforeEach
    void startBroker() {
        broker = Mosquitto.start(false);
    }

    @AfterEach
    void stopAll() throws MqttException {
        for (MqttClient c : clients) {
            try {
                if (c.isConnected()) {
                    c.disconnect(0);
                }
            } catch (MqttException e) {
                // Already gone with the broker.
            }
            c.close(true);
        }
        components.forEach(MqttClientComponent::close);
        broker.stop();
    }

    private Map<String, String> props(String... extra) {
        Map<String, String> p = new HashMap<>(Map.of("remoteHost", "127.0.0.1", "remotePort", Integer.toString(broker.port),
                "reconnectDelay", "1"));
        for (int i = 0; i < extra.length; i += 2) {
            p.put(extra[i], extra[i + 1]);
        }
        return p;
    }

    private MqttClientComponent start(String id, RecordingListener l, Map<String, String> props) {
        NetworkComponentConfig config = new NetworkComponentConfig(id, "mqtt-client", props);
        MqttClientComponent c = (MqttClientComponent) new MqttClientProvider(sessionsDir).start(config, l);
        components.add(c);
        return c;
    }

    private MqttClientComponent startConnected(String id, RecordingListener l, Map<String, String> props) {
        MqttClientComponent c = start(id, l, props);
        assertThat(c.brokerConnected()).as("connected and subscribed when start returns; last error: %s", c.lastError()).isTrue();
        return c;
    }

    /** A device: a Paho client on the broker's plain listener. */
    private MqttClient device(String clientId) throws MqttException {
        MqttClient c = new MqttClient(broker.url(), clientId, new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setConnectionTimeout(10);
        options.setAutomaticReconnect(false);
        c.connect(options);
        clients.add(c);
        return c;
    }

    private static void publish(MqttClient device, String topic, String payload) throws MqttException {
        publish(device, topic, payload.getBytes(StandardCharsets.UTF_8));
    }

    private static void publish(MqttClient device, String topic, byte[] payload) throws MqttException {
        MqttMessage m = new MqttMessage(payload);
        m.setQos(1);
        device.publish(topic, m);
    }

    private static List<String> textsOf(RecordingListener l, String topicPrefix) {
        return l.received.stream().filter(r -> r.message().topic().startsWith(topicPrefix)).map(RecordingListener.Received::text).toList();
    }

    @Test
    void uplinksReachTheListenerInOrderWithTheDeviceIdentity() throws Exception {
        // Verifies brokered logins (device and product from the topic, broker address), one connection per device,
        // per-device order and the qos header.
        MqttClientComponent component = startConnected("up", listener, props());
        MqttClient d1 = device("dev-d1");
        MqttClient d2 = device("dev-d2");
        for (int i = 0; i < 20; i++) {
            publish(d1, "/p1/d1/properties/report", "{\"n\":" + i + "}");
            if (i % 4 == 0) {
                publish(d2, "/p2/d2/event/alarm", "{\"a\":" + i + "}");
            }
        }
        await().atMost(20, TimeUnit.SECONDS).until(() -> listener.received.size() == 25);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            expected.add("{\"n\":" + i + "}");
        }
        assertThat(textsOf(listener, "/p1/d1/")).containsExactlyElementsOf(expected);
        assertThat(textsOf(listener, "/p2/d2/")).containsExactly("{\"a\":0}", "{\"a\":4}", "{\"a\":8}", "{\"a\":12}", "{\"a\":16}");
        assertThat(listener.logins).hasSize(2).allSatisfy(r -> {
            assertThat(r.brokered()).isTrue();
            assertThat(r.transport()).isEqualTo(Transport.MQTT);
            assertThat(r.remoteAddress().getPort()).isEqualTo(broker.port);
        });
        assertThat(listener.logins).extracting(AuthRequest::clientId, AuthRequest::username)
                .containsExactlyInAnyOrder(tuple("d1", "p1"), tuple("d2", "p2"));
        assertThat(listener.connections).hasSize(2);
        assertThat(listener.received).allSatisfy(r -> assertThat(r.message().headers()).containsEntry("qos", "1"));
        Set<TransportConnection> d1Connections = new HashSet<>();
        listener.received.stream().filter(r -> r.message().topic().startsWith("/p1/d1/")).forEach(r -> d1Connections.add(r.connection()));
        assertThat(d1Connections).hasSize(1);
        assertThat(component.connectionCount()).isEqualTo(2);
        assertThat(component.boundAddress().getPort()).isEqualTo(broker.port);
        await().atMost(5, TimeUnit.SECONDS).until(() -> component.pendingMessages() == 0);
    }

    @Test
    void aRefusedDeviceIsSkippedAndNotCheckedForEveryMessage() throws Exception {
        // Verifies that a refused device's messages are skipped (and acknowledged) with one login check, while
        // other devices flow.
        MqttClientComponent component = startConnected("refuse", listener, props());
        MqttClient bad = device("dev-bad");
        MqttClient good = device("dev-good");
        for (int i = 0; i < 5; i++) {
            publish(bad, "/p1/bad-1/properties/report", "{\"bad\":" + i + "}");
        }
        publish(good, "/p1/d1/properties/report", "{\"good\":1}");
        await().atMost(10, TimeUnit.SECONDS).until(() -> listener.texts().contains("{\"good\":1}"));
        await().atMost(5, TimeUnit.SECONDS).until(() -> component.pendingMessages() == 0);
        assertThat(listener.texts()).containsExactly("{\"good\":1}");
        assertThat(listener.logins.stream().filter(r -> r.clientId().equals("bad-1")).count()).as("checked once").isEqualTo(1);
        assertThat(listener.connections).hasSize(1);
        assertThat(component.connectionCount()).isEqualTo(1);
    }

    @Test
    void downlinksArePublishedToTheBroker() throws Exception {
        // Verifies TransportConnection.send: published with the configured QoS, complete once the broker has it.
        startConnected("down", listener, props());
        MqttClient d1 = device("dev-d1");
        List<String> got = new CopyOnWriteArrayList<>();
        d1.subscribe("/p1/d1/function/#", 1,
                (topic, m) -> got.add(topic + " " + new String(m.getPayload(), StandardCharsets.UTF_8) + " qos" + m.getQos()));
        publish(d1, "/p1/d1/properties/report", "{}");
        await().atMost(10, TimeUnit.SECONDS).until(() -> listener.connections.size() == 1);
        TransportConnection connection = listener.connections.get(0);
        assertThat(connection.isOpen()).isTrue();
        assertThat(connection.transport()).isEqualTo(Transport.MQTT);
        connection.send(EncodedMessage.of("/p1/d1/function/invoke", "{\"messageId\":\"m1\"}")).toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        await().atMost(10, TimeUnit.SECONDS).until(() -> got.contains("/p1/d1/function/invoke {\"messageId\":\"m1\"} qos1"));
        assertThatThrownBy(() -> connection.send(EncodedMessage.of("/p1/+/function", "x")).toCompletableFuture().get(10, TimeUnit.SECONDS))
                .hasCauseInstanceOf(ThingportException.class).hasMessageContaining("not a topic a message can be published to");
        connection.close("test closes the device");
        await().atMost(5, TimeUnit.SECONDS).until(() -> !connection.isOpen());
        assertThat(listener.disconnects).containsExactly("test closes the device");
        assertThatThrownBy(() -> connection.send(EncodedMessage.of("/p1/d1/function/invoke", "x")).toCompletableFuture()
                .get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasMessageContaining("is not connected through network component down");
    }

    @Test
    void theComponentNeverConsumesWhatItPublishedEvenUnderAFilterThatCoversIt() throws Exception {
        // Verifies the loop guard: with a filter covering the downlink topics, the platform's own command and /error
        // come back from the broker and are dropped, while a device's own message on the same topic is delivered.
        // GIVEN a component subscribed to everything and a device behind it
        startConnected("echo", listener, props("topics", "/#"));
        MqttClient d1 = device("dev-e1");
        List<String> onBroker = new CopyOnWriteArrayList<>();
        d1.subscribe("/p1/d1/#", 1, (topic, m) -> onBroker.add(topic + " " + new String(m.getPayload(), StandardCharsets.UTF_8)));
        publish(d1, "/p1/d1/properties/report", "{\"n\":1}");
        await().atMost(10, TimeUnit.SECONDS).until(() -> listener.connections.size() == 1);
        TransportConnection connection = listener.connections.get(0);
        // WHEN the platform publishes a command and an /error for the device
        connection.send(EncodedMessage.of("/p1/d1/function/invoke", "{\"messageId\":\"c1\"}")).toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        connection.send(EncodedMessage.of("/p1/d1/error", "{\"messageId\":\"c1\",\"code\":\"x\"}")).toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        await().atMost(10, TimeUnit.SECONDS).until(() -> onBroker.contains("/p1/d1/error {\"messageId\":\"c1\",\"code\":\"x\"}"));
        // THEN the component takes in neither, however long one waits
        await().during(2, TimeUnit.SECONDS).atMost(5, TimeUnit.SECONDS).until(() -> textsOf(listener, "/p1/d1/function").isEmpty()
                && textsOf(listener, "/p1/d1/error").isEmpty());
        // AND a device's own message on such a topic, other bytes than the platform's, still arrives
        publish(d1, "/p1/d1/function/invoke", "{\"messageId\":\"from-device\"}");
        await().atMost(10, TimeUnit.SECONDS).until(() -> textsOf(listener, "/p1/d1/function").equals(
                List.of("{\"messageId\":\"from-device\"}")));
        assertThat(textsOf(listener, "/p1/d1/properties/report")).containsExactly("{\"n\":1}");
    }

    @Test
    void theDefaultTopicsAreTheDevicesUplinksOnly() throws Exception {
        // Verifies the default subscriptions: what devices publish, not the platform's downlink and /error topics.
        startConnected("defaults", listener, props());
        MqttClient d1 = device("dev-u1");
        publish(d1, "/p1/d1/error", "{\"not\":\"mine\"}");
        publish(d1, "/p1/d1/function/invoke", "{\"not\":\"mine\"}");
        publish(d1, "/p1/d1/event/alarm", "{\"e\":1}");
        publish(d1, "/p1/d1/function/invoke/reply", "{\"r\":1}");
        await().atMost(10, TimeUnit.SECONDS).until(() -> listener.received.size() == 2);
        assertThat(listener.received).extracting(r -> r.message().topic())
                .containsExactly("/p1/d1/event/alarm", "/p1/d1/function/invoke/reply");
    }

    @Test
    void aChangedClientIdEndsTheOldSessionSoNoSharedMessageIsLost() throws Exception {
        // Verifies that the session of a former client id does not keep a share of a shared subscription: every
        // message published after the change reaches the component.
        // GIVEN a component that subscribed in a shared group as c1, then stopped (its persistent session stays)
        MqttClientComponent first = startConnected("shared", listener, props("clientId", "c1", "subscriptionPrefix", "$share/g/"));
        first.close();
        // WHEN it comes back with another client id
        RecordingListener second = brokeredListener();
        startConnected("shared", second, props("clientId", "c2", "subscriptionPrefix", "$share/g/"));
        await().atMost(10, TimeUnit.SECONDS).until(() -> !Files.exists(sessionsDir.resolve("shared.properties"))
                || Files.readString(sessionsDir.resolve("shared.properties")).contains("clientId=c2"));
        for (int d = 1; d <= 2; d++) {
            MqttClient device = device("dev-share" + d);
            for (int i = 0; i < 8; i++) {
                publish(device, "/p1/d" + d + "/properties/report", "{\"n\":" + i + "}");
            }
        }
        // THEN all of them arrive: none is queued for the session of c1 (the broker would share them out in turn)
        await().atMost(15, TimeUnit.SECONDS).until(() -> second.received.size() == 16);
        assertThat(Files.readString(sessionsDir.resolve("shared.properties"))).contains("clientId=c2");
    }

    @Test
    void filtersDroppedFromTheConfigurationAreUnsubscribedFromThePersistentSession() throws Exception {
        // Verifies that a filter removed from topics stops delivering, although the broker kept the session.
        // GIVEN a component subscribed to reports and events, stopped
        startConnected("narrow", listener, props("clientId", "n1", "topics", "/+/+/properties/report,/+/+/event/+")).close();
        // WHEN it comes back, same client id, reports only
        RecordingListener second = brokeredListener();
        startConnected("narrow", second, props("clientId", "n1", "topics", "/+/+/properties/report"));
        await().atMost(10, TimeUnit.SECONDS).until(() -> Files.readString(sessionsDir.resolve("narrow.properties"))
                .contains("filters=/+/+/properties/report") && !Files.readString(sessionsDir.resolve("narrow.properties"))
                .contains("event"));
        MqttClient device = device("dev-narrow");
        publish(device, "/p1/d1/event/alarm", "{\"e\":1}");
        publish(device, "/p1/d1/properties/report", "{\"r\":1}");
        // THEN only the report arrives, now and later
        await().atMost(10, TimeUnit.SECONDS).until(() -> textsOf(second, "/p1/d1/").size() == 1);
        await().during(2, TimeUnit.SECONDS).atMost(5, TimeUnit.SECONDS).until(() -> textsOf(second, "/p1/d1/event").isEmpty());
    }

    @Test
    void sharedSubscriptionSplitsTheLoadBetweenTwoComponents() throws Exception {
        // Verifies subscriptionPrefix $share/g/: every message reaches exactly one of the two components.
        RecordingListener other = brokeredListener();
        startConnected("share-a", listener, props("subscriptionPrefix", "$share/g/"));
        startConnected("share-b", other, props("subscriptionPrefix", "$share/g/"));
        Set<String> sent = new HashSet<>();
        for (int d = 1; d <= 4; d++) {
            MqttClient device = device("dev-s" + d);
            for (int i = 0; i < 10; i++) {
                String payload = "{\"d\":" + d + ",\"n\":" + i + "}";
                publish(device, "/p1/s" + d + "/properties/report", payload);
                sent.add(payload);
            }
        }
        await().atMost(20, TimeUnit.SECONDS).until(() -> listener.received.size() + other.received.size() >= 40);
        // Held for 500 ms: no message arrives twice.
        await().during(500, TimeUnit.MILLISECONDS).atMost(5, TimeUnit.SECONDS)
                .until(() -> listener.received.size() + other.received.size() == 40);
        List<String> all = new ArrayList<>(listener.texts());
        all.addAll(other.texts());
        assertThat(all).hasSize(40).containsExactlyInAnyOrderElementsOf(sent);
        assertThat(listener.received).as("component a got a share").isNotEmpty();
        assertThat(other.received).as("component b got a share").isNotEmpty();
    }

    @Test
    void aTopicNotMatchingDeviceTopicIsSkipped() throws Exception {
        // Verifies that messages whose topic names no device are skipped without a login, and others flow.
        MqttClientComponent component = startConnected("match", listener, props("topics", "#"));
        MqttClient device = device("dev-m");
        publish(device, "status/gateway", "{\"skip\":1}");
        publish(device, "/only-one-level", "{\"skip\":2}");
        publish(device, "/p1/d1/properties/report", "{\"ok\":1}");
        await().atMost(10, TimeUnit.SECONDS).until(() -> listener.texts().contains("{\"ok\":1}"));
        await().atMost(5, TimeUnit.SECONDS).until(() -> component.pendingMessages() == 0);
        assertThat(listener.texts()).containsExactly("{\"ok\":1}");
        assertThat(listener.logins).extracting(AuthRequest::clientId).containsExactly("d1");
    }

    @Test
    void aCustomDeviceTopicPicksTheIdentity() throws Exception {
        // Verifies deviceTopic with the groups in another order and place.
        startConnected("custom", listener, props("topics", "devices/#",
                "deviceTopic", "^devices/(?<deviceId>[^/]+)/of/(?<productId>[^/]+)/.*$"));
        publish(device("dev-c"), "devices/c7/of/meter/data", "{\"kwh\":3}");
        await().atMost(10, TimeUnit.SECONDS).until(() -> listener.received.size() == 1);
        assertThat(listener.logins).extracting(AuthRequest::clientId, AuthRequest::username)
                .containsExactly(tuple("c7", "meter"));
        assertThat(listener.received.get(0).message().topic()).isEqualTo("devices/c7/of/meter/data");
    }

    @Test
    void anOversizedMessageIsSkipped() throws Exception {
        // Verifies maxMessageLength: a larger message is skipped, later ones of the same device flow.
        MqttClientComponent component = startConnected("big", listener, props("maxMessageLength", "100"));
        MqttClient device = device("dev-big");
        publish(device, "/p1/d1/properties/report", new byte[200]);
        publish(device, "/p1/d1/properties/report", "{\"small\":1}");
        await().atMost(10, TimeUnit.SECONDS).until(() -> listener.received.size() == 1);
        await().atMost(5, TimeUnit.SECONDS).until(() -> component.pendingMessages() == 0);
        assertThat(listener.texts()).containsExactly("{\"small\":1}");
    }

    @Test
    void brokerRestartDisconnectsTheDevicesAndTheComponentReconnects() throws Exception {
        // Verifies that losing the broker reports every device disconnected, the component keeps trying, and
        // messages flow again once the broker is back.
        MqttClientComponent component = startConnected("restart", listener, props());
        MqttClient d1 = device("dev-r1");
        publish(d1, "/p1/d1/properties/report", "{\"before\":1}");
        publish(d1, "/p1/d2/properties/report", "{\"before\":2}");
        await().atMost(10, TimeUnit.SECONDS).until(() -> listener.connections.size() == 2);

        broker.stop();
        await().atMost(15, TimeUnit.SECONDS).until(() -> listener.disconnects.size() == 2);
        assertThat(listener.disconnects).allSatisfy(r -> assertThat(r).startsWith("broker connection lost"));
        assertThat(listener.connections).noneMatch(TransportConnection::isOpen);
        assertThat(component.brokerConnected()).isFalse();
        assertThat(component.connectionCount()).isZero();
        int attempts = component.connectAttempts();
        await().atMost(15, TimeUnit.SECONDS).until(() -> component.connectAttempts() >= attempts + 2);
        assertThat(component.lastError()).isNotNull();

        broker.start();
        await().atMost(20, TimeUnit.SECONDS).until(component::brokerConnected);
        publish(device("dev-r2"), "/p1/d1/properties/report", "{\"after\":1}");
        await().atMost(10, TimeUnit.SECONDS).until(() -> listener.texts().contains("{\"after\":1}"));
        assertThat(listener.logins.stream().filter(r -> r.clientId().equals("d1")).count()).as("logged in again").isEqualTo(2);
        assertThat(component.lastError()).isNull();
    }

    @Test
    void anUnreachableBrokerDoesNotFailTheStartAndIsRetriedUntilItComesUp() throws Exception {
        // Verifies the documented choice: start() succeeds, the component retries every reconnectDelay and says why.
        int port = FreePorts.one();
        MqttClientComponent component = start("late", listener, props("remotePort", Integer.toString(port)));
        assertThat(component.brokerConnected()).isFalse();
        assertThat(component.lastError()).isNotNull();
        int attempts = component.connectAttempts();
        assertThat(attempts).isGreaterThanOrEqualTo(1);
        await().atMost(15, TimeUnit.SECONDS).until(() -> component.connectAttempts() >= attempts + 2);
        assertThat(component.brokerConnected()).isFalse();

        try (Mosquitto late = Mosquitto.onPort(port, false)) {
            await().atMost(20, TimeUnit.SECONDS).until(component::brokerConnected);
            MqttClient device = new MqttClient(late.url(), "dev-late", new MemoryPersistence());
            clients.add(device);
            device.connect();
            publish(device, "/p1/d1/properties/report", "{\"late\":1}");
            await().atMost(10, TimeUnit.SECONDS).until(() -> listener.texts().contains("{\"late\":1}"));
            component.close();
        }
    }

    @Test
    void aMessageIsAcknowledgedOnlyOnceStoredSoTheBrokerResendsWhatWasNot() throws Exception {
        // Verifies manual acks end to end: a message whose stage never completed is sent again by the broker to the
        // next session of the same client id; a stored one is not.
        listener.gate = new CompletableFuture<>();
        MqttClientComponent first = startConnected("acks", listener, props());
        MqttClient device = device("dev-a");
        publish(device, "/p1/d1/properties/report", "{\"kept\":1}");
        await().atMost(10, TimeUnit.SECONDS).until(() -> listener.received.size() == 1);
        assertThat(first.pendingMessages()).isEqualTo(1);
        first.close();
        assertThat(listener.disconnects).containsExactly("network component acks stopped");

        RecordingListener second = brokeredListener();
        MqttClientComponent again = startConnected("acks", second, props());
        await().atMost(10, TimeUnit.SECONDS).until(() -> second.texts().contains("{\"kept\":1}"));
        await().atMost(5, TimeUnit.SECONDS).until(() -> again.pendingMessages() == 0);
        again.close();

        RecordingListener third = brokeredListener();
        startConnected("acks", third, props());
        publish(device, "/p1/d1/properties/report", "{\"next\":1}");
        await().atMost(10, TimeUnit.SECONDS).until(() -> third.texts().contains("{\"next\":1}"));
        assertThat(third.texts()).as("the stored message is not sent again").containsExactly("{\"next\":1}");
    }

    @Test
    void aStorageFailureLeavesTheMessageUnacknowledgedAndTheBrokerResendsIt() throws Exception {
        // Verifies the documented behaviour: not stored → not acknowledged → the component reconnects → the broker
        // resends it.
        listener.gate = CompletableFuture.failedFuture(new ThingportException(ErrorCode.INTERNAL, "disk full"));
        MqttClientComponent component = startConnected("fail", listener, props());
        publish(device("dev-f"), "/p1/d1/properties/report", "{\"retry\":1}");
        await().atMost(10, TimeUnit.SECONDS).until(() -> listener.received.size() >= 1);
        listener.gate = CompletableFuture.completedFuture(null);
        await().atMost(10, TimeUnit.SECONDS).until(() -> listener.disconnects.stream()
                .anyMatch(r -> r.startsWith("broker connection restarted: "
                        + "the platform could not store a message of device d1 of product p1: disk full")));
        await().atMost(20, TimeUnit.SECONDS).until(() -> listener.texts().stream().filter("{\"retry\":1}"::equals).count() >= 2);
        await().atMost(10, TimeUnit.SECONDS).until(() -> component.brokerConnected() && component.pendingMessages() == 0);
    }

    @Test
    void aMessageThePlatformDidNotTakeIsOfferedAgainAndAcknowledgedOnceTaken() throws Exception {
        // Verifies UNAVAILABLE (the platform at its bound): no acknowledgement and no reconnection; the message goes again
        // after pauses, before the device's next one, and once taken it is acknowledged: the broker does not send it
        // again to the next session of the same client id.
        // GIVEN a platform that refuses the next three messages as being at its bound
        listener.unavailable.set(3);
        MqttClientComponent component = startConnected("busy", listener, props());
        MqttClient device = device("dev-b");

        // WHEN a device publishes two QoS 1 messages
        publish(device, "/p1/d1/properties/report", "{\"n\":1}");
        publish(device, "/p1/d1/properties/report", "{\"n\":2}");

        // THEN the first is offered four times (three refusals, then taken), then the second; the link never dropped
        await().atMost(10, TimeUnit.SECONDS).until(() -> listener.received.size() == 5 && component.pendingMessages() == 0);
        assertThat(listener.texts()).containsExactly("{\"n\":1}", "{\"n\":1}", "{\"n\":1}", "{\"n\":1}", "{\"n\":2}");
        assertThat(listener.disconnects).isEmpty();
        assertThat(component.connectAttempts()).isEqualTo(1);
        assertThat(listener.connections).hasSize(1).allMatch(TransportConnection::isOpen);

        // AND the broker had its acknowledgements: the next session of the client id gets only what comes next
        component.close();
        RecordingListener next = brokeredListener();
        startConnected("busy", next, props());
        publish(device, "/p1/d1/properties/report", "{\"n\":3}");
        await().atMost(10, TimeUnit.SECONDS).until(() -> next.texts().contains("{\"n\":3}"));
        assertThat(next.texts()).containsExactly("{\"n\":3}");
    }

    @Test
    void aMessageThePlatformKeepsRefusingIsNeverAcknowledgedSoTheBrokerSendsItAgain() throws Exception {
        // Verifies that while the platform stays at its bound the message is offered again on the same broker connection
        // without being acknowledged: stopped then, the component leaves it to the broker, which sends it to the next
        // session.
        // GIVEN a platform that stays at its bound
        listener.unavailable.set(Integer.MAX_VALUE);
        MqttClientComponent component = startConnected("stuck", listener, props());
        MqttClient device = device("dev-s");

        // WHEN a device publishes a QoS 1 message that is refused again and again
        publish(device, "/p1/d1/properties/report", "{\"kept\":1}");
        await().atMost(10, TimeUnit.SECONDS).until(() -> listener.received.size() >= 4);

        // THEN the broker connection stayed up and the message waits, unacknowledged
        assertThat(component.connectAttempts()).isEqualTo(1);
        assertThat(component.brokerConnected()).isTrue();
        assertThat(listener.disconnects).isEmpty();
        assertThat(component.pendingMessages()).isEqualTo(1);
        assertThat(listener.texts()).containsOnly("{\"kept\":1}");
        // AND once the component stops, the broker sends it to the next session of the client id
        component.close();
        RecordingListener next = brokeredListener();
        startConnected("stuck", next, props());
        await().atMost(10, TimeUnit.SECONDS).until(() -> next.texts().contains("{\"kept\":1}"));
    }

    @Test
    void aLoginTheBusyPlatformDidNotCheckAcknowledgesNothingSoTheMessageArrivesLater() throws Exception {
        // Verifies that a login refused as SERVER_BUSY (the platform at logins.maxQueued) is not a refusal of the device:
        // its message is not acknowledged and skipped, it is delivered again and taken once the platform checks it.
        Function<AuthRequest, AuthResult> normal = listener.auth;
        AtomicInteger busy = new AtomicInteger(1);
        listener.auth = r -> busy.getAndDecrement() > 0
                ? AuthResult.refuse(AuthFailure.SERVER_BUSY, r.clientId(), "1000 logins are waiting") : normal.apply(r);
        startConnected("busy", listener, props());
        MqttClient device = device("dev-b");
        publish(device, "/p1/d1/properties/report", "{\"once\":1}");
        await().atMost(30, TimeUnit.SECONDS).until(() -> listener.texts().contains("{\"once\":1}"));
        assertThat(listener.logins.stream().filter(r -> r.clientId().equals("d1")).count()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void aForbiddenMessageIsAcknowledgedAndTheDeviceStaysConnected() throws Exception {
        // Verifies FORBIDDEN: logged and acknowledged, no reconnect, the device's next messages flow.
        MqttClientComponent component = startConnected("rules", listener, props());
        MqttClient device = device("dev-x");
        // The RecordingListener refuses a payload starting with /forbidden with FORBIDDEN.
        publish(device, "/p1/d9/properties/report", "/forbidden payload");
        publish(device, "/p1/d9/properties/report", "{\"fine\":1}");
        await().atMost(10, TimeUnit.SECONDS).until(() -> listener.received.size() == 2);
        await().atMost(5, TimeUnit.SECONDS).until(() -> component.pendingMessages() == 0);
        assertThat(listener.disconnects).isEmpty();
        assertThat(component.brokerConnected()).isTrue();
        assertThat(listener.connections).hasSize(1).allMatch(TransportConnection::isOpen);
    }

    @Test
    void anIdleDeviceIsReportedDisconnectedAndLogsInAgainWithItsNextMessage() throws Exception {
        // Verifies idleTimeout.
        MqttClientComponent component = startConnected("idle", listener, props("idleTimeout", "1"));
        MqttClient device = device("dev-i");
        publish(device, "/p1/d1/properties/report", "{\"i\":1}");
        await().atMost(10, TimeUnit.SECONDS).until(() -> listener.disconnects.contains("no message for 1 s"));
        assertThat(component.connectionCount()).isZero();
        publish(device, "/p1/d1/properties/report", "{\"i\":2}");
        await().atMost(10, TimeUnit.SECONDS).until(() -> listener.received.size() == 2);
        assertThat(listener.logins).hasSize(2);
        assertThat(listener.connections).hasSize(2);
    }

    @Test
    void closeReportsEveryDeviceDisconnected() throws Exception {
        // Verifies close(): each device reported once with the component's reason, Paho's threads gone.
        MqttClientComponent component = startConnected("bye", listener, props());
        MqttClient device = device("dev-b");
        publish(device, "/p1/d1/properties/report", "{}");
        publish(device, "/p1/d2/properties/report", "{}");
        await().atMost(10, TimeUnit.SECONDS).until(() -> listener.connections.size() == 2);
        component.close();
        assertThat(listener.disconnects).containsExactly("network component bye stopped", "network component bye stopped");
        assertThat(component.brokerConnected()).isFalse();
        component.close(); // idempotent
        assertThat(listener.disconnects).hasSize(2);
        await().atMost(10, TimeUnit.SECONDS).until(() -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().equals("mqtt-client-bye") || t.getName().contains("thingport-bye")));
    }

    @Test
    void configurationErrorsNameTheComponentAndTheKey() {
        // Verifies INVALID_ARGUMENT for the keys.
        assertInvalid(Map.of("remoteHost", "127.0.0.1", "remotPort", "1883"), "network component bad: unknown key 'remotPort'");
        assertInvalid(Map.of("remotePort", "1883"), "network component bad: remoteHost is required");
        assertInvalid(Map.of("remoteHost", "tcp://broker:1883"), "remoteHost 'tcp://broker:1883' must be a host name or address");
        assertInvalid(Map.of("remoteHost", "h", "remotePort", "0"), "remotePort 0 is out of range 1..65535");
        assertInvalid(Map.of("remoteHost", "h", "qos", "2"), "qos 2 is out of range 0..1");
        assertInvalid(Map.of("remoteHost", "h", "topics", "a/#/b"), "topics: 'a/#/b' is not a valid MQTT topic filter");
        assertInvalid(Map.of("remoteHost", "h", "topics", " , "), "topics has no topic filter");
        assertInvalid(Map.of("remoteHost", "h", "subscriptionPrefix", "$share/g"), "subscriptionPrefix '$share/g' must end with '/'");
        assertInvalid(Map.of("remoteHost", "h", "deviceTopic", "^/(?<productId>[^/]+"),
                "deviceTopic '^/(?<productId>[^/]+' is not a regular expression");
        assertInvalid(Map.of("remoteHost", "h", "deviceTopic", "^/(?<product>[^/]+)/(?<deviceId>[^/]+)$"), "must have the named groups");
        assertInvalid(Map.of("remoteHost", "h", "password", "secret"), "password is set without username");
        assertInvalid(Map.of("remoteHost", "h", "tls", "maybe"), "tls 'maybe' is not true or false");
        assertInvalid(Map.of("remoteHost", "h", "keepAlive", "-1"), "keepAlive -1 is out of range");
    }

    private void assertInvalid(Map<String, String> props, String message) {
        assertThatThrownBy(() -> new MqttClientProvider().start(new NetworkComponentConfig("bad", "mqtt-client", props), listener))
                .isInstanceOfSatisfying(ThingportException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining(message);
    }

    @Test
    void providerDescribesItself() {
        // Verifies that the provider names its type and transport.
        assertThat(new MqttClientProvider().type()).isEqualTo("mqtt-client");
        assertThat(new MqttClientProvider().transport()).isEqualTo(Transport.MQTT);
    }
}
