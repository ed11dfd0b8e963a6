package io.thingport.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.ops4j.pax.exam.CoreOptions.propagateSystemProperty;

import io.thingport.itests.broken.LyingProtocol;
import io.thingport.itests.broken.PartlyPackagedProtocol;
import io.thingport.itests.broken.ThrowingProtocol;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * Protocol packages in the running distribution, with the example package (examples/protocol-compact, built as its
 * own Maven project, never part of the distribution): installed from a jar, updated under a steady load of reports
 * without a lost or duplicated report, broken builds refused while the running version keeps serving, delete refused
 * while a gateway uses it, a local folder reloaded when it changes, and a jar dropped into deploy/.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ProtocolPackageIT extends ThingportTestSupport {
    private static final String PRODUCT = "compact-meter";
    private static final String PROPERTIES = "compact-protocol.properties";

    @Configuration
    @Override
    public Option[] config() {
        List<Option> options = new ArrayList<>(Arrays.asList(super.config()));
        options.add(propagateSystemProperty("thingport.example.jar"));
        return options.toArray(new Option[0]);
    }

    private static byte[] exampleJar() throws IOException {
        String path = System.getProperty("thingport.example.jar");
        assertThat(path).as("system property thingport.example.jar").isNotNull();
        return Files.readAllBytes(Path.of(path));
    }

    private String product() throws IOException {
        if (!executeCommand("iot:product-list --no-format").contains(PRODUCT + "\t")) {
            Path model = Files.createTempFile("compact", ".json");
            Files.writeString(model, "{\"properties\":[{\"id\":\"temp\",\"type\":\"double\"},{\"id\":\"seq\",\"type\":\"long\"}]}");
            executeCommand("iot:product-create --model " + model + " " + PRODUCT);
        }
        return PRODUCT;
    }

    @Test
    public void aPackageIsInstalledUpdatedUnderLoadRefusedWhenBrokenAndDeleted() throws Exception {
        product();
        Path v1 = write("compact-1.jar", exampleJar());
        String added = executeCommand("iot:protocol-add --type jar --name 'Compact example' --description 'binary TCP' " + v1);
        assertThat(added).contains("Protocol compact installed").contains("version 1.0.0");
        assertThat(executeCommand("iot:protocol-list --no-format")).contains("compact\tCompact example\tjar\t1.0.0\tTCP\trunning");
        assertThat(failure(() -> executeCommand("iot:protocol-add --type jar " + v1))).contains("protocol compact is already installed");
        assertThat(failure(() -> executeCommand("iot:protocol-add --type jar --name " + "n".repeat(65) + " " + v1)))
                .contains("name is longer than 64 characters");
        assertThat(failure(() -> executeCommand("iot:protocol-add --type jar --description " + "d".repeat(201) + " " + v1)))
                .contains("description is longer than 200 characters");
        assertThat(failure(() -> executeCommand("iot:protocol-update --type local compact")))
                .contains("type of a protocol package cannot be changed");

        int port = compactGateway("compact");
        String secret = createDevice(PRODUCT, "cp-1");
        String other = createDevice(PRODUCT, "cp-2");
        String official = createDevice(PRODUCT, "cp-mqtt");

        // What counts is what the database holds: every report's seq property, one row per stored report.
        try (CompactDevice device = CompactDevice.connect(port, "cp-1", secret);
             CompactDevice idle = CompactDevice.connect(port, "cp-2", other);
             DeviceClient mqttDevice = DeviceClient.connect(mqttPort, PRODUCT, "cp-mqtt", official)) {
            assertThat(device.loginStatus).isEqualTo(0);
            assertThat(idle.loginStatus).isEqualTo(0);

            // A steady load of reports while the package is updated to version 2 (and then refused broken builds).
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicInteger sent = new AtomicInteger();
            AtomicReference<Throwable> failed = new AtomicReference<>();
            Thread load = new Thread(() -> {
                try {
                    while (running.get()) {
                        device.report(sent.incrementAndGet(), 20.5);
                        Thread.sleep(4); // pacing: about 200 reports per second
                    }
                } catch (Throwable t) {
                    failed.set(t);
                }
            }, "compact-load");
            load.start();
            await().atMost(30, TimeUnit.SECONDS).until(() -> storedSeqs("cp-1").size() > 100);

            Path v2 = write("compact-2.jar",
                    withEntry(exampleJar(), PROPERTIES, old -> "version=2.0.0\n".getBytes(StandardCharsets.UTF_8)));
            assertThat(executeCommand("iot:protocol-update compact " + v2)).contains("version 2.0.0 (revision 2)");
            int atUpdate = sent.get();
            await().atMost(30, TimeUnit.SECONDS).until(() -> sent.get() > atUpdate + 200);
            // The replay check's state (the last accepted login timestamp) is the platform's: the update kept it.
            try (CompactDevice replayed = CompactDevice.connect(port, "cp-1", secret, device.loginTimestamp)) {
                assertThat(replayed.loginStatus).as("a replayed login after the update").isNotEqualTo(0);
            }

            // Broken builds are refused, each naming its problem; version 2 keeps serving.
            Path missingClass = write("compact-missing.jar", withoutCodecClass(exampleJar()));
            assertThat(failure(() -> executeCommand("iot:protocol-update compact " + missingClass)))
                    .contains("update of protocol compact refused, version 2.0.0 keeps running");
            Path badManifest = write("compact-manifest.jar", withImport(exampleJar(), "com.example.nowhere"));
            assertThat(failure(() -> executeCommand("iot:protocol-update compact " + badManifest)))
                    .contains("cannot start").contains("com.example.nowhere");
            Path throwing = write("compact-throwing.jar", plainJar(ThrowingProtocol.class.getName(), ThrowingProtocol.class));
            assertThat(failure(() -> executeCommand("iot:protocol-update compact " + throwing)))
                    .contains("failed on its own sample").contains("decoder bug");
            Path notAJar = write("compact-text.jar", "hello".getBytes(StandardCharsets.UTF_8));
            assertThat(failure(() -> executeCommand("iot:protocol-update compact " + notAJar))).contains("not a jar");
            Path noProtocolClass = write("compact-noclass.jar",
                    rewrite(exampleJar(), m -> { }, (entry, bytes) -> entry.endsWith("CompactProtocol.class") ? null : bytes));
            assertThat(failure(() -> executeCommand("iot:protocol-update compact " + noProtocolClass)))
                    .contains("io.thingport.examples.protocol.compact.CompactProtocol, which the jar does not hold");
            Path notAProtocol = write("compact-object.jar", plainJar("java.lang.Object"));
            assertThat(failure(() -> executeCommand("iot:protocol-update compact " + notAProtocol)))
                    .contains("java.lang.Object does not implement the platform's io.thingport.api.protocol.ProtocolSupport");
            // The running code offered again is no update: no new revision, nothing swapped.
            assertThat(executeCommand("iot:protocol-update compact " + v2)).contains("version 2.0.0 (revision 2)");
            assertThat(executeCommand("iot:protocol-info compact")).contains("Version:           2.0.0").contains("Revision:          2")
                    .contains("update refused");

            int atEnd = sent.get();
            await().atMost(30, TimeUnit.SECONDS).until(() -> sent.get() > atEnd + 100);
            running.set(false);
            load.join(10_000);
            assertThat(failed.get()).as("the device's connection kept working").isNull();
            int total = sent.get() - (failed.get() == null ? 0 : 1);
            await().atMost(30, TimeUnit.SECONDS).until(() -> storedSeqs("cp-1").size() >= total);
            Map<Long, Integer> stored = storedSeqs("cp-1");
            List<Long> missing = new ArrayList<>();
            List<Long> duplicated = new ArrayList<>();
            for (long seq = 1; seq <= total; seq++) {
                Integer n = stored.get(seq);
                if (n == null) {
                    missing.add(seq);
                } else if (n > 1) {
                    duplicated.add(seq);
                }
            }
            assertThat(missing).as("reports lost across the update").isEmpty();
            assertThat(duplicated).as("reports stored twice").isEmpty();
            assertThat(stored).hasSize(total);
            // The idle device on the same protocol was not disconnected either.
            assertThat(log("cp-2")).doesNotContain("offline");
            assertThat(log("cp-1")).doesNotContain("offline");
            // A device on another protocol (official, MQTT) saw nothing either.
            assertThat(mqttDevice.client.isConnected()).isTrue();
            mqttDevice.publish("properties/report", "{\"messageId\":\"m1\",\"properties\":{\"temp\":1.5}}");
            await().atMost(30, TimeUnit.SECONDS).untilAsserted(() -> assertThat(props("cp-mqtt")).contains("temp\t1.5"));
            assertThat(log("cp-mqtt")).doesNotContain("offline");
        }

        assertThat(failure(() -> executeCommand("iot:protocol-delete compact"))).contains("is used by gateway compact-gw");
        assertThat(failure(() -> executeCommand("iot:protocol-delete official"))).contains("built into the platform");
        executeCommand("iot:gateway-delete compact-gw");
        executeCommand("iot:network-delete compact-tcp");
        executeCommand("iot:protocol-delete compact");
        assertThat(executeCommand("iot:protocol-list --no-format")).doesNotContain("compact").contains("official\t");
    }

    @Test
    public void aRevisionThatFailsOnLiveTrafficIsRolledBackWithoutLosingAnAcknowledgedMessage() throws Exception {
        // Verifies the fix for a jar that passes its own samples but fails on real traffic: revision 2 of package
        // partial lacks the class that reads long values, so every report of a device sending one under load throws
        // NoClassDefFoundError at decode. Each such report is decoded by revision 1 instead and stored before its
        // PUBACK, revision 2 is rolled back once, and iot:protocol-info and the log say so once.
        String product = product();
        Path r1 = write("partial-1.jar", partialJar("1.0.0", true));
        assertThat(executeCommand("iot:protocol-add --type jar " + r1)).contains("Protocol partial installed").contains("version 1.0.0");
        int port = freePort();
        executeCommand("iot:network-create partial-mqtt mqtt-server host=127.0.0.1 port=" + port);
        assertThat(executeCommand("iot:gateway-create partial-gw custom partial-mqtt partial")).contains("is running");
        String secret = createDevice(product, "pp-1");
        MqttClient device = new MqttClient("tcp://127.0.0.1:" + port, "pp-1", new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setUserName(product);
        options.setPassword(secret.toCharArray());
        options.setAutomaticReconnect(false);
        options.setCleanSession(true);
        device.setTimeToWait(15_000);
        device.connect(options);
        Path karafLog = Path.of(System.getProperty("karaf.data"), "log", "karaf.log");
        String rolledBack = "Protocol package partial: revision 2 (version 1.1.0) rolled back at ";
        try {
            // QoS 1 reports, one at a time: publish() returns once the PUBACK came, i.e. once the platform stored it.
            Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicReference<Throwable> failed = new AtomicReference<>();
            Thread load = new Thread(() -> {
                try {
                    for (long seq = 1; running.get(); seq++) {
                        device.publish("partial/report", ("seq=L:" + seq + " temp=D:20.5").getBytes(StandardCharsets.UTF_8), 1, false);
                        acknowledged.add(seq);
                    }
                } catch (Throwable t) {
                    failed.set(t);
                }
            }, "partial-load");
            load.start();
            await().atMost(30, TimeUnit.SECONDS).until(() -> acknowledged.size() > 100);

            // Revision 2 passes its check (its sample carries a double only) and goes live under the load.
            Path r2 = write("partial-2.jar", partialJar("1.1.0", false));
            assertThat(executeCommand("iot:protocol-update partial " + r2)).contains("version 1.1.0 (revision 2)");
            int atUpdate = acknowledged.size();
            await().atMost(30, TimeUnit.SECONDS).until(() -> acknowledged.size() > atUpdate + 300 || failed.get() != null);
            running.set(false);
            load.join(20_000);

            // Every acknowledged report is stored, once; none failed.
            assertThat(failed.get()).as("the device's publishes kept being acknowledged").isNull();
            Map<Long, Integer> stored = storedSeqs("pp-1");
            assertThat(acknowledged.stream().filter(seq -> !stored.containsKey(seq)).sorted().toList())
                    .as("acknowledged reports that were not stored").isEmpty();
            assertThat(stored.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList())
                    .as("reports stored twice").isEmpty();
            assertThat(stored).hasSameSizeAs(acknowledged);

            // Revision 1 serves again, and the package shows why.
            String info = executeCommand("iot:protocol-info partial");
            assertThat(info).contains("Version:           1.0.0").contains("Revision:          1").contains("State:             running")
                    .contains("Note:              revision 2 (version 1.1.0) rolled back at ")
                    .contains("java.lang.NoClassDefFoundError: io/thingport/itests/broken/LongValues");
            assertThat(executeCommand("iot:protocol-list --no-format")).contains("partial\tPartly packaged\tjar\t1.0.0\tMQTT\trunning");
            assertThat(device.isConnected()).isTrue();
            device.publish("partial/report", "seq=L:1000000 temp=D:7.5".getBytes(StandardCharsets.UTF_8), 1, false);
            assertThat(storedSeqs("pp-1")).containsKey(1_000_000L);
            // The rollback is logged once, and no message was logged as failed.
            List<String> lines = Files.readAllLines(karafLog, StandardCharsets.ISO_8859_1);
            assertThat(lines.stream().filter(l -> l.contains(rolledBack)).count()).as("rollback lines in karaf.log").isEqualTo(1);
            assertThat(lines).noneMatch(l -> l.contains("protocol partial version 1.1.0 failed to decode"));
        } finally {
            device.disconnect();
            device.close();
        }
        executeCommand("iot:gateway-delete partial-gw");
        executeCommand("iot:network-delete partial-mqtt");
        executeCommand("iot:protocol-delete partial");
        executeCommand("iot:device-delete pp-1");
    }

    @Test
    public void aLocalFolderIsReloadedWhenItChangesAndDeployInstallsJars() throws Exception {
        product();
        // The example's classes without a manifest, as a build leaves them in target/classes: wrapped by the platform.
        Path folder = Files.createTempDirectory("compact-classes");
        try (JarInputStream in = new JarInputStream(new ByteArrayInputStream(exampleJar()))) {
            for (JarEntry e = in.getNextJarEntry(); e != null; e = in.getNextJarEntry()) {
                Path target = folder.resolve(e.getName());
                if (e.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        waitUntilAbsent("local");
        assertThat(executeCommand("iot:protocol-add --type local " + folder)).contains("Protocol compact installed");
        int port = compactGateway("local");
        String secret = createDevice(PRODUCT, "cl-1");
        try (CompactDevice device = CompactDevice.connect(port, "cl-1", secret)) {
            device.report(1, 11.0);
            await().atMost(30, TimeUnit.SECONDS).untilAsserted(() -> assertThat(props("cl-1")).contains("temp\t11.0"));

            // A rebuild: the platform notices and reloads; the connection stays.
            try (var files = Files.walk(folder)) {
                Path properties = files.filter(p -> p.getFileName().toString().equals(PROPERTIES)).findFirst().orElseThrow();
                Files.writeString(properties, "version=1.1.0-dev\n");
            }
            await().atMost(30, TimeUnit.SECONDS).untilAsserted(() ->
                    assertThat(executeCommand("iot:protocol-info compact")).contains("Version:           1.1.0-dev"));
            device.report(2, 12.0);
            await().atMost(30, TimeUnit.SECONDS).untilAsserted(() -> assertThat(props("cl-1")).contains("temp\t12.0"));

            // A broken rebuild (a class missing) is refused and 1.1.0-dev keeps serving.
            try (var files = Files.walk(folder)) {
                Path codec = files.filter(p -> p.getFileName().toString().endsWith("Codec.class")).findFirst().orElseThrow();
                Files.delete(codec);
            }
            await().atMost(30, TimeUnit.SECONDS).untilAsserted(() ->
                    assertThat(executeCommand("iot:protocol-info compact")).contains("update refused"));
            assertThat(executeCommand("iot:protocol-info compact")).contains("Version:           1.1.0-dev");
            device.report(3, 13.0);
            await().atMost(30, TimeUnit.SECONDS).untilAsserted(() -> assertThat(props("cl-1")).contains("temp\t13.0"));
        }
        executeCommand("iot:gateway-delete local-gw");
        executeCommand("iot:network-delete local-tcp");
        executeCommand("iot:protocol-delete compact");

        // deploy/: dropping the jar installs it, replacing it updates it, removing it deletes it.
        Path deployed = Path.of(System.getProperty("karaf.base"), "deploy", "compact-protocol.jar");
        Files.write(deployed, exampleJar());
        await().atMost(60, TimeUnit.SECONDS).untilAsserted(() ->
                assertThat(executeCommand("iot:protocol-list --no-format")).contains("compact\t").contains("1.0.0"));
        assertThat(executeCommand("iot:protocol-info compact")).contains("Source:            " + deployed.toFile().getAbsolutePath());
        int port2 = compactGateway("deploy");
        String secret2 = createDevice(PRODUCT, "cd-1");
        try (CompactDevice device = CompactDevice.connect(port2, "cd-1", secret2)) {
            device.report(1, 31.0);
            await().atMost(30, TimeUnit.SECONDS).untilAsserted(() -> assertThat(props("cd-1")).contains("temp\t31.0"));
            Path next = write("compact-3.jar",
                    withEntry(exampleJar(), PROPERTIES, old -> "version=3.0.0\n".getBytes(StandardCharsets.UTF_8)));
            Files.move(next, deployed, StandardCopyOption.REPLACE_EXISTING);
            await().atMost(60, TimeUnit.SECONDS).untilAsserted(() ->
                    assertThat(executeCommand("iot:protocol-info compact")).contains("Version:           3.0.0"));
            device.report(2, 32.0);
            await().atMost(30, TimeUnit.SECONDS).untilAsserted(() -> assertThat(props("cd-1")).contains("temp\t32.0"));
        }
        executeCommand("iot:gateway-delete deploy-gw");
        executeCommand("iot:network-delete deploy-tcp");
        Files.delete(deployed);
        waitUntilAbsent("deploy");
    }

    @Test
    public void gizwitsBinaryDataPointsTravelOverMqttAndTheDocumentsAreGenerated() throws Exception {
        // Verifies the built-in gizwits protocol end to end: a fixed-length binary report stored as thing-model values,
        // a write encoded with attr_flags and answered by a report on the reply topic, a malformed frame refused, and
        // the device-side documents written by iot:protocol-doc.
        Path model = Path.of(System.getProperty("thingport.example.jar")).getParent().getParent().getParent()
                .resolve("thing-models/aircon-gizwits.json");
        executeCommand("iot:gateway-create giz-gw custom mqtt gizwits");
        executeCommand("iot:product-create --gateway giz-gw --model " + model + " aircon-g");
        executeCommand("iot:device-create --secret dev-g-secret aircon-g dev-g");
        HexFormat hex = HexFormat.of();
        MqttClient device = new MqttClient("tcp://127.0.0.1:" + mqttPort,
                "dev-g", new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setUserName("aircon-g");
        options.setPassword("dev-g-secret".toCharArray());
        options.setAutomaticReconnect(false);
        device.connect(options);
        List<String> downlinks = new CopyOnWriteArrayList<>();
        try {
            device.subscribe("app2dev/dev-g/+", 1, (topic, message) -> {
                downlinks.add(topic + " " + hex.formatHex(message.getPayload()));
                // The device applies the write and answers with a report of its state on the reply topic.
                String messageId = topic.substring(topic.lastIndexOf('/') + 1);
                new Thread(() -> {
                    try {
                        device.publish("dev2app/dev-g/" + messageId, hex.parseHex("041b02175fabcdef030001e2405f0001"), 1, false);
                    } catch (MqttException e) {
                        throw new IllegalStateException(e);
                    }
                }).start();
            });
            device.publish("dev2app/dev-g", hex.parseHex("041d021750abcdef030001e2405f0001"), 1, false);
            await().atMost(30, TimeUnit.SECONDS).untilAsserted(() -> assertThat(props("dev-g")).contains("mode\t\"heat\"")
                    .contains("speed\t\"high\"").contains("target\t23.5\t").contains("brightness\t80\t").contains("energy\t123456\t")
                    .contains("offset\t-5\t").contains("filter\t\"dirty\"").contains("sensorFault\ttrue\t"));

            assertThat(executeCommand("iot:device-write --timeout 20 dev-g target=23.5 mode=cool")).contains("success");
            assertThat(downlinks).anyMatch(d -> d.matches("app2dev/dev-g/\\S+ 010a02021700000000"));
            await().atMost(30, TimeUnit.SECONDS).untilAsserted(() ->
                    assertThat(props("dev-g")).contains("mode\t\"cool\"").contains("brightness\t95\t"));

            device.publish("dev2app/dev-g", hex.parseHex("041d02"), 1, false);
            await().atMost(30, TimeUnit.SECONDS).untilAsserted(() -> assertThat(log("dev-g")).contains("16 bytes"));
            assertThat(device.isConnected()).isTrue();
        } finally {
            device.disconnect();
            device.close();
        }

        Path docs = Files.createTempDirectory("gizwits-docs");
        assertThat(executeCommand("iot:protocol-doc --product aircon-g --output " + docs + " gizwits"))
                .contains("aircon-g-protocol.md").contains("aircon-g_datapoints.h");
        assertThat(Files.readString(docs.resolve("aircon-g_datapoints.h")))
                .contains("#ifndef AIRCON_G_DATAPOINTS").contains("AIRCON_G_DP_TARGET");
        assertThat(Files.readString(docs.resolve("aircon-g-protocol.md"))).contains("target").contains("attr_flags");
        assertThat(failure(() -> executeCommand("iot:protocol-doc --product aircon-g official"))).contains("has no thing-model codec");
        executeCommand("iot:device-delete dev-g");
        executeCommand("iot:product-delete aircon-g");
        executeCommand("iot:gateway-delete giz-gw");
    }

    @Test
    public void aMessageForAnotherDeviceThanTheConnectionsIsRefused() throws Exception {
        // Verifies the core's one ownership check with a package whose codec takes the device id from each report:
        // device liar-a's own report is stored, its report "for" liar-b is refused, logged and closes the connection.
        Path jar = write("liar.jar", plainJar(LyingProtocol.class.getName(), LyingProtocol.class));
        assertThat(executeCommand("iot:protocol-add --type jar " + jar)).contains("Protocol liar installed");
        int port = freePort();
        executeCommand("iot:network-create liar-tcp tcp-server host=127.0.0.1 port=" + port);
        assertThat(executeCommand("iot:gateway-create liar-gw custom liar-tcp liar")).contains("is running");
        String secret = createDevice(product(), "liar-a");
        createDevice(product(), "liar-b");
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(("liar-a " + secret + "\nliar-a 20.5\nliar-b 99.5\n").getBytes(StandardCharsets.UTF_8));
            assertThat(socket.getInputStream().read()).as("the connection is closed").isEqualTo(-1);
        }
        await().atMost(30, TimeUnit.SECONDS).untilAsserted(() -> assertThat(props("liar-a")).contains("20.5"));
        assertThat(props("liar-b")).doesNotContain("99.5");
        assertThat(log("liar-a")).contains("forbidden: the connection of device liar-a (product " + PRODUCT
                + ") sent a message for device liar-b");
        executeCommand("iot:gateway-delete liar-gw");
        executeCommand("iot:network-delete liar-tcp");
        executeCommand("iot:protocol-delete liar");
        executeCommand("iot:device-delete liar-a liar-b");
    }

    /** The value of {@code seq} in a stored property report (a JSON object of the report's values). */
    private static final Pattern SEQ = Pattern.compile("\"seq\":(-?\\d+)");

    /** The {@code seq} values stored in the property history of a device (one row per stored report), with their counts. */
    private Map<Long, Integer> storedSeqs(String deviceId) throws SQLException {
        DataSource dataSource = waitForService(DataSource.class, "(dataSourceName=thingport)");
        Map<Long, Integer> seqs = new HashMap<>();
        String sql = "SELECT properties FROM property_report WHERE device_id = ?";
        try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
            st.setString(1, deviceId);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    Matcher seq = SEQ.matcher(rs.getString(1));
                    if (seq.find()) {
                        seqs.merge(Long.parseLong(seq.group(1)), 1, Integer::sum);
                    }
                }
            }
        }
        return seqs;
    }

    /** A length-framed TCP component {@code <prefix>-tcp} with a gateway {@code <prefix>-gw} speaking compact; its port. */
    private int compactGateway(String prefix) {
        int port = freePort();
        executeCommand("iot:network-create " + prefix + "-tcp tcp-server host=127.0.0.1 port=" + port + " framing=length");
        assertThat(executeCommand("iot:gateway-create " + prefix + "-gw custom " + prefix + "-tcp compact")).contains("is running");
        return port;
    }

    private void waitUntilAbsent(String why) {
        await().atMost(60, TimeUnit.SECONDS).untilAsserted(() ->
                assertThat(executeCommand("iot:protocol-list --no-format")).as(why).doesNotContain("compact\t"));
    }

    // ------------------------------------------------------------------ jar surgery

    private static Path write(String name, byte[] bytes) throws IOException {
        Path dir = Files.createTempDirectory("protocol-packages");
        return Files.write(dir.resolve(name), bytes);
    }

    /** The jar with the bytes of the entry whose path ends with {@code name} replaced. */
    private static byte[] withEntry(byte[] jar, String name, UnaryOperator<byte[]> change) throws IOException {
        return rewrite(jar, m -> { }, (entry, bytes) -> entry.endsWith(name) ? change.apply(bytes) : bytes);
    }

    /** The jar without its codec class: the bundle resolves, creating the codec fails with NoClassDefFoundError. */
    private static byte[] withoutCodecClass(byte[] jar) throws IOException {
        return rewrite(jar, m -> { }, (entry, bytes) -> entry.endsWith("Codec.class") ? null : bytes);
    }

    /** The jar with an import nothing exports: the bundle cannot resolve. */
    private static byte[] withImport(byte[] jar, String pkg) throws IOException {
        return rewrite(jar, m -> {
            Attributes a = m.getMainAttributes();
            a.putValue("Import-Package", a.getValue("Import-Package") + "," + pkg);
        }, (entry, bytes) -> bytes);
    }

    private interface EntryChange {
        byte[] apply(String entry, byte[] bytes);
    }

    private static byte[] rewrite(byte[] jar, Consumer<Manifest> manifestChange, EntryChange change) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JarInputStream in = new JarInputStream(new ByteArrayInputStream(jar))) {
            Manifest manifest = new Manifest(in.getManifest());
            manifestChange.accept(manifest);
            try (JarOutputStream o = new JarOutputStream(out, manifest)) {
                for (JarEntry e = in.getNextJarEntry(); e != null; e = in.getNextJarEntry()) {
                    byte[] bytes = change.apply(e.getName(), in.readAllBytes());
                    if (bytes != null) {
                        o.putNextEntry(new JarEntry(e.getName()));
                        o.write(bytes);
                        o.closeEntry();
                    }
                }
            }
        }
        return out.toByteArray();
    }

    /**
     * Package {@code partial} ({@link PartlyPackagedProtocol}) as a bundle of {@code version}, with or without the class
     * that reads long values. A bundle, not a plain jar: without a dynamic import, a class left out is missing for good.
     */
    private static byte[] partialJar(String version, boolean withLongValues) throws IOException {
        Manifest manifest = new Manifest();
        Attributes a = manifest.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", "io.thingport.itests.partial");
        a.putValue("Bundle-Version", version);
        a.putValue("Import-Package", "io.thingport.api;version=\"[1.0,2)\",io.thingport.api.message;version=\"[1.0,2)\","
                + "io.thingport.api.protocol;version=\"[1.1,2)\"");
        String pkg = PartlyPackagedProtocol.class.getPackageName().replace('.', '/') + "/";
        List<String> classes = new ArrayList<>(List.of("PartlyPackagedProtocol", "PartlyPackagedProtocol$Codec"));
        if (withLongValues) {
            classes.add("LongValues");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JarOutputStream o = new JarOutputStream(out, manifest)) {
            for (String c : classes) {
                try (InputStream in = PartlyPackagedProtocol.class.getResourceAsStream("/" + pkg + c + ".class")) {
                    assertThat(in).as(c + ".class").isNotNull();
                    o.putNextEntry(new JarEntry(pkg + c + ".class"));
                    in.transferTo(o);
                    o.closeEntry();
                }
            }
            o.putNextEntry(new JarEntry(pkg + "partial-version.txt"));
            o.write(version.getBytes(StandardCharsets.UTF_8));
            o.closeEntry();
            o.putNextEntry(new JarEntry("META-INF/services/io.thingport.api.protocol.ProtocolSupport"));
            o.write((PartlyPackagedProtocol.class.getName() + "\n").getBytes(StandardCharsets.UTF_8));
            o.closeEntry();
        }
        return out.toByteArray();
    }

    /** A plain jar (no OSGi headers) naming {@code serviceClass} in META-INF/services and holding {@code classes}. */
    private static byte[] plainJar(String serviceClass, Class<?>... classes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JarOutputStream o = new JarOutputStream(out)) {
            for (Class<?> c : classes) {
                String prefix = c.getName().replace('.', '/');
                for (String suffix : List.of("", "$1")) {
                    try (InputStream in = c.getResourceAsStream("/" + prefix + suffix + ".class")) {
                        if (in != null) {
                            o.putNextEntry(new JarEntry(prefix + suffix + ".class"));
                            in.transferTo(o);
                            o.closeEntry();
                        }
                    }
                }
            }
            o.putNextEntry(new JarEntry("META-INF/services/io.thingport.api.protocol.ProtocolSupport"));
            o.write((serviceClass + "\n").getBytes(StandardCharsets.UTF_8));
            o.closeEntry();
        }
        return out.toByteArray();
    }
}
