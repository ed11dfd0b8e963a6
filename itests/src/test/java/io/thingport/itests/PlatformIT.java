package io.thingport.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.thingport.api.device.DeviceEventBus;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.karaf.shell.api.console.Session;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.service.cm.Configuration;

/**
 * The foundation's end-to-end path on the assembled distribution: products and devices made through the shell, a
 * real MQTT client with signed credentials reporting and answering commands, every refusal path, and durability.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class PlatformIT extends ThingportTestSupport {
    static final String PRODUCT = "thermo";
    static final String MODEL = """
            {"properties":[
              {"id":"temp","type":{"type":"float","min":-40,"max":85}},
              {"id":"humidity","type":{"type":"int","min":0,"max":100}},
              {"id":"led","type":"bool","access":"read-write"}],
             "functions":[{"id":"reboot","inputs":[{"id":"delay","type":{"type":"int","min":0,"max":60},"required":true}],
                           "output":"string"}]}
            """;

    @Before
    public void product() throws Exception {
        if (!executeCommand("iot:product-list --no-format").contains(PRODUCT + "\t")) {
            Path model = Files.createTempFile("thermo", ".json");
            Files.writeString(model, MODEL, StandardCharsets.UTF_8);
            assertThat(executeCommand("iot:product-create --model " + model + " --dynamic-registration " + PRODUCT))
                    .contains("Product thermo created").contains("3 properties, 1 functions");
        }
    }

    private String createDevice(String id) {
        return createDevice(PRODUCT, id);
    }

    private String productSecret() {
        return executeCommand("iot:product-info --show-secret " + PRODUCT).lines()
                .filter(l -> l.startsWith("Secret")).findFirst().orElseThrow().replaceAll("^Secret:\\s+", "").trim();
    }


    @Test
    public void shellCommandsWorkAndRefuseBadInputWithClearErrors() throws Exception {
        // Verifies network-list, protocol-list, product-info masking, and the shell's errors for bad input.
        await().atMost(30, TimeUnit.SECONDS).untilAsserted(() ->
                assertThat(executeCommand("iot:network-list --no-format")).contains("mqtt\tmqtt-server\trunning\t"));
        assertThat(executeCommand("iot:protocol-list --no-format")).contains("official\t");
        assertThat(executeCommand("camel:route-list")).as("the platform's routes are visible to operators")
                .contains("thingport").contains("uplink");
        String secret = productSecret();
        assertThat(secret).hasSize(32);
        Path bad = Files.createTempFile("bad", ".json");
        Files.writeString(bad, "{\"properties\":[{\"id\":\"t\",\"type\":{\"type\":\"integr\"}}]}", StandardCharsets.UTF_8);
        assertThat(failure(() -> executeCommand("iot:product-create --model " + bad + " broken")))
                .contains("properties[0].type.type: unknown data type 'integr'");
        assertThat(failure(() -> executeCommand("iot:product-create --model /no/such/file.json broken")))
                .contains("file /no/such/file.json does not exist");
        assertThat(executeCommand("iot:product-list --no-format")).as("a refused product leaves nothing behind").doesNotContain("broken");
        assertThat(failure(() -> executeCommand("iot:product-create " + PRODUCT))).contains("product thermo already exists");
        assertThat(failure(() -> executeCommand("iot:device-create " + PRODUCT + " bad/id"))).contains("device id 'bad/id'");
        assertThat(failure(() -> executeCommand("iot:product-delete " + PRODUCT))).contains("still has");
        Path csv = Files.createTempFile("devices", ".csv");
        Files.writeString(csv, "id,secret\nimp-1,abcdefgh1\nimp-2,short\n", StandardCharsets.UTF_8);
        assertThat(failure(() -> executeCommand("iot:device-import " + PRODUCT + " " + csv)))
                .contains("line 3: device secret must be 8 to 128 characters long");
        assertThat(executeCommand("iot:device-list --no-format")).doesNotContain("imp-1");
        Files.writeString(csv, "id,secret\nimp-1,abcdefgh1\nimp-2,abcdefgh2\n", StandardCharsets.UTF_8);
        assertThat(executeCommand("iot:device-import " + PRODUCT + " " + csv)).contains("imp-1,abcdefgh1").contains("imp-2,abcdefgh2");
        assertThat(executeCommand("iot:product-info " + PRODUCT)).contains("temp").contains("reboot").doesNotContain(secret);
    }

    @Test
    public void networkComponentsFollowTheirConfigurationAndNameBadValues() throws Exception {
        // Verifies that a bad network configuration is reported with its reason, and that fixing, adding and deleting
        // a component's configuration takes effect while the platform runs.
        Configuration config = configurationAdmin.getFactoryConfiguration("io.thingport.network", "extra", "?");
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("type", "mqtt-server");
        props.put("host", "127.0.0.1");
        props.put("port", "70000");
        config.update(props);
        await().atMost(30, TimeUnit.SECONDS).untilAsserted(() -> assertThat(executeCommand("iot:network-list --no-format"))
                .contains("extra\tmqtt-server\tfailed\t0\t\tnetwork component extra: port 70000 is out of range 0..65535"));
        props.put("type", "nosuch-server");
        config.update(props);
        await().atMost(30, TimeUnit.SECONDS).untilAsserted(() -> assertThat(executeCommand("iot:network-list --no-format"))
                .contains("extra\tnosuch-server\twaiting\t0\t\tnetwork component type nosuch-server is not installed"));
        int port;
        port = freePort();
        props.put("type", "mqtt-server");
        props.put("port", Integer.toString(port));
        config.update(props);
        await().atMost(30, TimeUnit.SECONDS).untilAsserted(() -> assertThat(executeCommand("iot:network-list --no-format"))
                .contains("extra\tmqtt-server\trunning\t0\t\t"));
        String secret = createDevice("dev-extra");
        // No gateway uses the component yet: logins are refused, then served once a gateway binds it.
        assertThatThrownBy(() -> DeviceClient.connect(port, PRODUCT, "dev-extra", secret)).isInstanceOf(MqttException.class);
        await().atMost(30, TimeUnit.SECONDS).untilAsserted(() ->
                assertThat(log("dev-extra")).contains("no enabled device access gateway uses network component extra"));
        assertThat(executeCommand("iot:gateway-create extra-gw official extra"))
                .contains("Gateway extra-gw (official, protocol official on extra) is running");
        try (DeviceClient device = DeviceClient.connect(port, PRODUCT, "dev-extra", secret)) {
            device.publish("properties/report", "{\"messageId\":\"e1\",\"properties\":{\"humidity\":11}}");
            assertThat(props("dev-extra")).contains("humidity\t11\t");
            config.delete();
            await().atMost(30, TimeUnit.SECONDS).until(() -> !device.client.isConnected());
        }
        await().atMost(30, TimeUnit.SECONDS).untilAsserted(() ->
                assertThat(executeCommand("iot:network-list --no-format")).doesNotContain("extra\t").contains("mqtt\tmqtt-server"));
        assertThat(log("dev-extra")).contains("network component extra stopped");
        assertThatThrownBy(() -> DeviceClient.connect(port, PRODUCT, "dev-extra", secret)).isInstanceOf(MqttException.class);
        assertThat(executeCommand("iot:gateway-list --no-format")).contains("extra-gw\tofficial\textra\tofficial\twaiting\t0\t\t"
                + "network component extra does not exist");
        executeCommand("iot:gateway-delete extra-gw");
    }

    @Test
    public void reportedPropertiesAreStoredAndReadBack() throws Exception {
        // Verifies report → PUBACK → device-props, online state and the device log.
        String secret = createDevice("dev-report");
        try (DeviceClient device = DeviceClient.connect(mqttPort, PRODUCT, "dev-report", secret)) {
            device.publish("properties/report", "{\"messageId\":\"m1\",\"properties\":{\"temp\":21.5,\"humidity\":40}}");
            // The PUBACK came back, so the values are stored: no waiting needed.
            assertThat(props("dev-report")).contains("temp\t21.5\t").contains("humidity\t40\t");
            assertThat(executeCommand("iot:device-info dev-report")).contains("online").contains("Online count: 1");
            device.publish("properties/report", "{\"messageId\":\"m2\",\"properties\":{\"temp\":22}}");
            assertThat(executeCommand("iot:device-props --history temp --no-format dev-report")).contains("22.0").contains("21.5");
        }
        await().atMost(10, TimeUnit.SECONDS).untilAsserted(() ->
                assertThat(executeCommand("iot:device-info dev-report")).contains("State:        offline"));
        assertThat(log("dev-report")).contains("online\t").contains("uplink\tproperties/report\tm1")
                .contains("offline\t").contains("disconnected by the device");
        assertThat(executeCommand("iot:device-list --product thermo --no-format")).contains("dev-report\tthermo");
    }

    @Test
    public void functionsWritesAndReadsAreAnswered() throws Exception {
        // Verifies the downlink path: the device answers, the shell shows the reply; invalid commands are not sent.
        String secret = createDevice("dev-cmd");
        try (DeviceClient device = DeviceClient.connect(mqttPort, PRODUCT, "dev-cmd", secret)) {
            device.subscribeAll((suffix, payload) -> {
                String id = payload.replaceAll(".*\"messageId\":\"([^\"]+)\".*", "$1");
                switch (suffix) {
                    case "function/invoke" -> device.reply("function/invoke/reply",
                            "{\"messageId\":\"" + id + "\",\"success\":true,\"output\":\"rebooting\"}");
                    case "properties/write" -> device.reply("properties/write/reply", "{\"messageId\":\"" + id + "\",\"success\":true}");
                    case "properties/read" -> device.reply("properties/read/reply",
                            "{\"messageId\":\"" + id + "\",\"success\":true,\"properties\":{\"temp\":30.5}}");
                    default -> { }
                }
            });
            assertThat(executeCommand("iot:device-invoke dev-cmd reboot delay=5")).contains("success").contains("output: \"rebooting\"");
            assertThat(device.received)
                    .anyMatch(m -> m.startsWith("function/invoke ") && m.contains("\"inputs\":[{\"name\":\"delay\",\"value\":5}]"));
            assertThat(executeCommand("iot:device-write dev-cmd led=true")).contains("success");
            assertThat(executeCommand("iot:device-read dev-cmd temp")).contains("success").contains("temp = 30.5");
            assertThat(props("dev-cmd")).as("a read reply updates the latest values").contains("temp\t30.5\t");

            int before = device.received.size();
            assertThat(failure(() -> executeCommand("iot:device-invoke dev-cmd reboot delay=99")))
                    .contains("function reboot input delay: 99 is above the maximum 60");
            assertThat(failure(() -> executeCommand("iot:device-write dev-cmd temp=3")))
                    .contains("property temp: the property is read-only");
            assertThat(failure(() -> executeCommand("iot:device-invoke dev-cmd explode")))
                    .contains("the thing model has no function explode");
            // Held for 300 ms: invalid commands are never sent.
            await().during(300, TimeUnit.MILLISECONDS).atMost(2, TimeUnit.SECONDS).until(() -> device.received.size() == before);
            assertThat(log("dev-cmd")).contains("downlink\tfunction/invoke").contains("uplink\tfunction/invoke/reply");
        }
        String silent = createDevice("dev-silent");
        try (DeviceClient device = DeviceClient.connect(mqttPort, PRODUCT, "dev-silent", silent).subscribeAll(null)) {
            assertThat(failure(() -> executeCommand("iot:device-invoke --timeout 1 dev-silent reboot delay=1")))
                    .contains("device dev-silent did not reply to function/invoke").contains("within 1000 ms");
        }
        await().atMost(10, TimeUnit.SECONDS).untilAsserted(() ->
                assertThat(executeCommand("iot:device-info dev-silent")).contains("State:        offline"));
        assertThat(failure(() -> executeCommand("iot:device-invoke dev-silent reboot delay=1"))).contains("device dev-silent is offline");
        // A device that goes away while a command waits fails the command at once instead of at its timeout.
        String leaving = createDevice("dev-leaving");
        DeviceClient device = DeviceClient.connect(mqttPort, PRODUCT, "dev-leaving", leaving).subscribeAll((suffix, payload) -> { });
        CompletableFuture<String> invoke = CompletableFuture.supplyAsync(
                () -> failure(() -> executeCommand("iot:device-invoke --timeout 60 dev-leaving reboot delay=1")));
        await().atMost(10, TimeUnit.SECONDS).until(() -> device.received.stream().anyMatch(m -> m.startsWith("function/invoke ")));
        device.close();
        // The command's own timeout is 60 s: an answer within 20 s can only be the early failure.
        assertThat(invoke.get(20, TimeUnit.SECONDS)).contains("device dev-leaving went offline before replying to function/invoke");
    }

    @Test
    public void storedMessagesArePublishedOnTheInternalEventTopic() throws Exception {
        // Verifies the event topic that rules consume: online, accepted reports, offline, and for a rejected report only
        // the /error the device got (rules read it as $events/message/rejected), never the report itself.
        DeviceEventBus bus = waitForService(DeviceEventBus.class, null);
        assertThatThrownBy(() -> bus.subscribe("#", (t, m) -> { })).hasMessageContaining("must start with /device/");
        List<String> seen = new CopyOnWriteArrayList<>();
        String secret = createDevice("dev-events");
        try (AutoCloseable sub = bus.subscribe("/device/" + PRODUCT + "/dev-events/#",
                (topic, m) -> seen.add(topic + " " + m.messageId()))) {
            try (DeviceClient device = DeviceClient.connect(mqttPort, PRODUCT, "dev-events", secret)) {
                device.publish("properties/report", "{\"messageId\":\"bad\",\"properties\":{\"humidity\":500}}");
                device.publish("properties/report", "{\"messageId\":\"good\",\"properties\":{\"humidity\":50}}");
            }
            await().atMost(10, TimeUnit.SECONDS).until(() -> seen.size() >= 4);
        }
        assertThat(seen).containsExactlyInAnyOrder("/device/thermo/dev-events/online ", "/device/thermo/dev-events/error bad",
                "/device/thermo/dev-events/properties/report good", "/device/thermo/dev-events/offline ");
        assertThat(seen.get(0)).endsWith("/online ");
        assertThat(seen.get(3)).endsWith("/offline ");
    }

    @Test
    public void deviceLogFollowShowsNewEntriesLive() throws Exception {
        // Verifies iot:device-log --follow: entries written while it runs are printed as they are committed.
        String secret = createDevice("dev-follow");
        try (DeviceClient device = DeviceClient.connect(mqttPort, PRODUCT, "dev-follow", secret)) {
            assertThat(device.client.isConnected()).isTrue();
        }
        await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> assertThat(log("dev-follow")).contains("\toffline\t"));
        // Run the command in a session whose output the test can watch while it runs.
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        Session session = sessionFactory.create(System.in, out, out);
        CompletableFuture<Object> follow = CompletableFuture.supplyAsync(() -> {
            try {
                return session.execute("iot:device-log --limit 1 --follow --duration 8 --no-format dev-follow");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        // --limit 1 prints only the last entry (offline) before following: anything more came live.
        await().atMost(20, TimeUnit.SECONDS).until(() -> bytes.toString(StandardCharsets.UTF_8).contains("\toffline\t"));
        try (DeviceClient device = DeviceClient.connect(mqttPort, PRODUCT, "dev-follow", secret)) {
            device.publish("properties/report", "{\"messageId\":\"live1\",\"properties\":{\"humidity\":3}}");
        }
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(bytes.toString(StandardCharsets.UTF_8))
                .contains("\tdev-follow\tonline\t").contains("\tuplink\tproperties/report\tlive1\t"));
        follow.get(30, TimeUnit.SECONDS);
        session.close();
    }

    @Test
    public void badLoginsAreRefusedAndNothingIsStored() throws Exception {
        // Verifies wrong signature, stale timestamp, unknown and disabled devices: refused, logged, nothing stored.
        String secret = createDevice("dev-auth");
        String user = "dev-auth|" + System.currentTimeMillis();
        assertThatThrownBy(() -> DeviceClient.connectRaw(mqttPort, PRODUCT, "dev-auth", user, DeviceClient.hmac("wrong-secret", user)))
                .isInstanceOf(MqttException.class).extracting(e -> ((MqttException) e).getReasonCode())
                .isEqualTo((int) MqttException.REASON_CODE_FAILED_AUTHENTICATION);
        String stale = "dev-auth|" + (System.currentTimeMillis() - 600_000);
        assertThatThrownBy(() -> DeviceClient.connectRaw(mqttPort, PRODUCT, "dev-auth", stale, DeviceClient.hmac(secret, stale)))
                .extracting(e -> ((MqttException) e).getReasonCode()).isEqualTo((int) MqttException.REASON_CODE_FAILED_AUTHENTICATION);
        assertThatThrownBy(() -> DeviceClient.connect(mqttPort, PRODUCT, "nobody", "whatever1"))
                .extracting(e -> ((MqttException) e).getReasonCode()).isEqualTo((int) MqttException.REASON_CODE_FAILED_AUTHENTICATION);
        executeCommand("iot:device-disable dev-auth");
        assertThatThrownBy(() -> DeviceClient.connect(mqttPort, PRODUCT, "dev-auth", secret))
                .extracting(e -> ((MqttException) e).getReasonCode()).isEqualTo((int) MqttException.REASON_CODE_NOT_AUTHORIZED);
        await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> assertThat(log("dev-auth"))
                .contains("bad_signature").contains("stale_timestamp").contains("disabled_device"));
        assertThat(log("nobody")).contains("unknown_device");
        assertThat(props("dev-auth")).doesNotContain("temp");
        assertThat(executeCommand("iot:device-info dev-auth")).contains("Online count: 0");
        executeCommand("iot:device-enable dev-auth");
        try (DeviceClient device = DeviceClient.connect(mqttPort, PRODUCT, "dev-auth", secret)) {
            assertThat(device.client.isConnected()).isTrue();
            // Disabling a connected device closes its connection.
            executeCommand("iot:device-disable dev-auth");
            await().atMost(10, TimeUnit.SECONDS).until(() -> !device.client.isConnected());
        }
        String rotated = createDevice("dev-rotate");
        String fresh = executeCommand("iot:device-secret dev-rotate").replaceAll("(?s).*: (\\S+)\\s*$", "$1");
        assertThatThrownBy(() -> DeviceClient.connect(mqttPort, PRODUCT, "dev-rotate", rotated)).isInstanceOf(MqttException.class);
        try (DeviceClient device = DeviceClient.connect(mqttPort, PRODUCT, "dev-rotate", fresh)) {
            assertThat(device.client.isConnected()).isTrue();
        }
    }

    @Test
    public void foreignTopicsAreRefused() throws Exception {
        // Verifies the per-device ACL: a publish to another device's topic closes the connection and stores nothing.
        String secret = createDevice("dev-acl");
        createDevice("dev-victim");
        try (DeviceClient device = DeviceClient.connect(mqttPort, PRODUCT, "dev-acl", secret)) {
            assertThatThrownBy(() -> device.client.subscribe("/" + PRODUCT + "/dev-victim/#", 1)).isInstanceOf(MqttException.class);
            device.publishTo("/" + PRODUCT + "/dev-victim/properties/report", "{\"messageId\":\"x\",\"properties\":{\"temp\":1}}");
            await().atMost(10, TimeUnit.SECONDS).until(() -> !device.client.isConnected());
        }
        assertThat(props("dev-victim")).doesNotContain("temp");
        assertThat(log("dev-acl")).contains("forbidden").contains("/thermo/dev-victim/properties/report");
    }

    @Test
    public void invalidValuesGetAnErrorAndTheDeviceStaysConnected() throws Exception {
        // Verifies /error replies for invalid and malformed uplinks, with nothing stored and the connection kept.
        String secret = createDevice("dev-invalid");
        try (DeviceClient device = DeviceClient.connect(mqttPort, PRODUCT, "dev-invalid", secret).subscribeAll(null)) {
            device.publish("properties/report", "{\"messageId\":\"bad1\",\"properties\":{\"temp\":900,\"humidity\":5}}");
            await().atMost(10, TimeUnit.SECONDS).until(() -> device.received.stream().anyMatch(m -> m.startsWith("error ")));
            assertThat(device.received).anyMatch(m -> m.equals("error {\"messageId\":\"bad1\",\"code\":\"invalid_value\","
                    + "\"message\":\"property temp: 900 is above the maximum 85\",\"topic\":\"/thermo/dev-invalid/properties/report\"}"));
            device.publish("properties/report", "this is not json");
            device.publish("properties/report", "{\"messageId\":\"bad3\",\"properties\":{\"colour\":\"red\"}}");
            await().atMost(10, TimeUnit.SECONDS).until(() -> device.received.stream().filter(m -> m.startsWith("error ")).count() == 3);
            assertThat(device.received).anyMatch(m -> m.contains("\"code\":\"malformed\""))
                    .anyMatch(m -> m.contains("\"code\":\"unknown_identifier\"") && m.contains("property colour"));
            assertThat(device.client.isConnected()).isTrue();
            assertThat(props("dev-invalid")).as("nothing of a rejected report is stored").doesNotContain("humidity").doesNotContain("temp");
            device.publish("properties/report", "{\"messageId\":\"ok\",\"properties\":{\"humidity\":5}}");
            assertThat(props("dev-invalid")).contains("humidity\t5\t");
        }
        assertThat(log("dev-invalid")).contains("rejected").contains("invalid_value: property temp: 900 is above the maximum 85")
                .contains("malformed");
    }

    @Test
    public void devicesRegisterThemselvesWithTheProductSecret() throws Exception {
        // Verifies dynamic registration end to end: register, receive a secret, reconnect with it.
        String productSecret = productSecret();
        long ts = System.currentTimeMillis();
        String signed = PRODUCT + "|dev-auto|" + ts;
        String secret;
        try (DeviceClient device = DeviceClient.connectRaw(mqttPort, PRODUCT, "dev-auto", signed + "|register",
                DeviceClient.hmac(productSecret, signed))) {
            // A registration connection may subscribe to its reply topic only.
            assertThatThrownBy(() -> device.subscribeAll(null)).isInstanceOf(MqttException.class);
            device.client.subscribe(device.topic("register/reply"), 1,
                    (t, m) -> device.received.add("register/reply " + new String(m.getPayload(), StandardCharsets.UTF_8)));
            device.publish("register", "{\"messageId\":\"r1\"}");
            await().atMost(10, TimeUnit.SECONDS).until(() -> device.received.stream().anyMatch(m -> m.startsWith("register/reply ")));
            String reply = device.received.stream().filter(m -> m.startsWith("register/reply ")).findFirst().orElseThrow();
            assertThat(reply).contains("\"messageId\":\"r1\"").contains("\"success\":true");
            secret = reply.replaceAll(".*\"deviceSecret\":\"([^\"]+)\".*", "$1");
            await().atMost(10, TimeUnit.SECONDS).until(() -> !device.client.isConnected());
        }
        try (DeviceClient device = DeviceClient.connect(mqttPort, PRODUCT, "dev-auto", secret)) {
            device.publish("properties/report", "{\"messageId\":\"a1\",\"properties\":{\"humidity\":7}}");
        }
        assertThat(props("dev-auto")).contains("humidity\t7\t");
        String log = executeCommand("iot:device-log --raw --limit 50 --no-format dev-auto");
        assertThat(log).contains("registered").contains("register/reply").doesNotContain(secret);
    }

    @Test
    public void theCoreBundleRestartsAndServesItsDataAgain() throws Exception {
        // Verifies that stopping and starting the core bundle (an update of it, say) leaves the stored data readable
        // and the network running again. Not a durability test: an in-process restart flushes what is in memory.
        // DistributionIT kills the process with SIGKILL right after the last PUBACK for that.
        String secret = createDevice("dev-durable");
        try (DeviceClient device = DeviceClient.connect(mqttPort, PRODUCT, "dev-durable", secret)) {
            for (int i = 0; i < 50; i++) {
                device.publish("properties/report", "{\"messageId\":\"d" + i + "\",\"properties\":{\"humidity\":" + i + "}}");
            }
        }
        Bundle core = Arrays.stream(bundleContext.getBundles())
                .filter(b -> "io.thingport.core".equals(b.getSymbolicName())).findFirst().orElseThrow();
        core.stop();
        core.start();
        await().atMost(30, TimeUnit.SECONDS).ignoreExceptions().untilAsserted(() ->
                assertThat(props("dev-durable")).contains("humidity\t49\t"));
        assertThat(executeCommand("iot:device-props --history humidity --limit 100 --no-format dev-durable").lines()
                .filter(l -> l.startsWith("humidity")).count()).isEqualTo(50);
        await().atMost(30, TimeUnit.SECONDS).untilAsserted(() ->
                assertThat(executeCommand("iot:network-list --no-format")).contains("mqtt\tmqtt-server\trunning\t"));
        try (DeviceClient device = DeviceClient.connect(mqttPort, PRODUCT, "dev-durable", secret)) {
            device.publish("properties/report", "{\"messageId\":\"after\",\"properties\":{\"humidity\":99}}");
        }
        assertThat(props("dev-durable")).contains("humidity\t99\t");
    }
}
