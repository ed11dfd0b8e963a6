package io.thingport.itests;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.MqttTopic;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/** A test device: a real Paho MQTT client that signs its login as the official protocol says. */
final class DeviceClient implements AutoCloseable {
    final MqttClient client;
    final String productId;
    final String deviceId;
    final List<String> received = new CopyOnWriteArrayList<>();

    private DeviceClient(MqttClient client, String productId, String deviceId) {
        this.client = client;
        this.productId = productId;
        this.deviceId = deviceId;
    }

    static String hmac(String secret, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(data.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Connects with {@code username} and {@code password} as given (for the refusal tests). */
    static DeviceClient connectRaw(int port, String productId, String clientId, String username, String password) throws MqttException {
        MqttClient client = new MqttClient("tcp://127.0.0.1:" + port, clientId, new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setUserName(username);
        options.setPassword(password.toCharArray());
        options.setAutomaticReconnect(false);
        options.setCleanSession(true);
        options.setConnectionTimeout(10);
        options.setKeepAliveInterval(30);
        client.connect(options);
        return new DeviceClient(client, productId, clientId);
    }

    /** Connects with a freshly signed login. */
    static DeviceClient connect(int port, String productId, String deviceId, String secret) throws MqttException {
        String username = deviceId + "|" + System.currentTimeMillis();
        return connectRaw(port, productId, deviceId, username, hmac(secret, username));
    }

    String topic(String suffix) {
        return "/" + productId + "/" + deviceId + "/" + suffix;
    }

    /** Subscribes to all of the device's topics; every message is recorded as "suffix payload" and handed to the handler. */
    DeviceClient subscribeAll(BiConsumer<String, String> handler) throws MqttException {
        String prefix = "/" + productId + "/" + deviceId + "/";
        client.subscribe(prefix + "#", 1, (topic, message) -> {
            String suffix = topic.substring(prefix.length());
            String payload = new String(message.getPayload(), StandardCharsets.UTF_8);
            received.add(suffix + " " + payload);
            if (handler != null) {
                handler.accept(suffix, payload);
            }
        });
        return this;
    }

    /** Publishes QoS 1 and waits for the PUBACK (which the platform sends only after storing the message). */
    void publish(String suffix, String json) throws MqttException {
        MqttMessage m = new MqttMessage(json.getBytes(StandardCharsets.UTF_8));
        m.setQos(1);
        client.getTopic(topic(suffix)).publish(m).waitForCompletion(10_000);
    }

    /**
     * Publishes each of {@code jsons} QoS 1 in order, with a few PUBACKs outstanding at a time, and returns when all are
     * acknowledged: storing thousands of reports this way takes a fraction of the time of one round trip each. (Paho may
     * count a publish as in flight a moment after completing its token, so a publish may find its limit of 10 reached:
     * it is tried again.)
     */
    void publishAll(String suffix, List<String> jsons) throws MqttException, InterruptedException {
        Deque<IMqttDeliveryToken> outstanding = new ArrayDeque<>();
        MqttTopic topic = client.getTopic(topic(suffix));
        for (String json : jsons) {
            if (outstanding.size() == 8) {
                outstanding.removeFirst().waitForCompletion(10_000);
            }
            MqttMessage m = new MqttMessage(json.getBytes(StandardCharsets.UTF_8));
            m.setQos(1);
            IMqttDeliveryToken token = null;
            while (token == null) {
                try {
                    token = topic.publish(m);
                } catch (MqttException e) {
                    if (e.getReasonCode() != MqttException.REASON_CODE_MAX_INFLIGHT) {
                        throw e;
                    }
                    Thread.sleep(1);
                }
            }
            outstanding.addLast(token);
        }
        while (!outstanding.isEmpty()) {
            outstanding.removeFirst().waitForCompletion(10_000);
        }
    }

    /**
     * Publishes without waiting for the PUBACK, for publishes the platform refuses by closing the connection (which
     * may happen before Paho has noted the packet as sent: that connection loss is expected here).
     */
    void publishTo(String topic, String json) throws MqttException {
        MqttMessage m = new MqttMessage(json.getBytes(StandardCharsets.UTF_8));
        m.setQos(1);
        try {
            client.getTopic(topic).publish(m);
        } catch (MqttException e) {
            if (e.getReasonCode() != MqttException.REASON_CODE_CONNECTION_LOST) {
                throw e;
            }
        }
    }

    void reply(String suffix, String json) {
        try {
            publish(suffix, json);
        } catch (MqttException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws MqttException {
        if (client.isConnected()) {
            client.disconnect(2000);
        }
        client.close(true);
    }
}
