package io.thingport.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.thingport.testsupport.HttpReceiver;
import io.thingport.testsupport.KafkaBroker;
import io.thingport.testsupport.MariaDbDatabase;
import io.thingport.testsupport.MariaDbServer;
import io.thingport.testsupport.PostgresCluster;
import io.thingport.testsupport.PostgresDatabase;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The rule engine in the running distribution against real peers: Kafka (KRaft, from the Maven artifacts), PostgreSQL 15 and
 * MariaDB 10.11 (throw-away servers from the Debian packages), an HTTP receiver, a Mosquitto broker, and a second device.
 * Rules and data sources are made through the shell, reports come from a real MQTT device.
 */
public class RulesIT {
    private static final String SECRET = "webhook-secret-0123456789";
    private static final String HOT = "SELECT payload.properties.temp AS t, deviceId, timestamp FROM \\\"/thermo/+/properties/report\\\""
            + " WHERE payload.properties.temp > 30";
    private static final String HUMID = "SELECT payload.properties.humidity AS h, deviceId FROM \\\"/thermo/+/properties/report\\\""
            + " WHERE payload.properties.humidity > 0";
    private static final String INSERT = "INSERT INTO hot (device, t, ts) VALUES (:deviceId, :t, :timestamp)";
    private static Distribution dist;
    private static KafkaBroker kafka;
    private static PostgresDatabase pg;
    private static MariaDbDatabase maria;
    private static HttpReceiver hooks;
    private static Process mosquitto;
    private static int mosquittoPort;
    private static String reporterSecret;
    private static String targetSecret;

    @BeforeClass
    public static void start() throws Exception {
        kafka = KafkaBroker.start();
        pg = PostgresCluster.shared().createDatabase();
        maria = MariaDbServer.shared().createDatabase();
        hooks = new HttpReceiver();
        dist = Distribution.unpack("rules", Map.of(), 1);
        mosquittoPort = dist.spare[0];
        Path conf = Files.createTempFile("mosquitto", ".conf");
        Files.writeString(conf, "listener " + mosquittoPort + " 127.0.0.1\nallow_anonymous true\n");
        String binary = new File("/usr/sbin/mosquitto").canExecute() ? "/usr/sbin/mosquitto" : "mosquitto";
        mosquitto = new ProcessBuilder(binary, "-c", conf.toString()).redirectErrorStream(true)
                .redirectOutput(Files.createTempFile("mosquitto", ".log").toFile()).start();
        dist.start();
        for (String sql : List.of("CREATE TABLE hot (device VARCHAR(64) NOT NULL, t DOUBLE PRECISION NOT NULL, ts BIGINT NOT NULL)")) {
            execute(pg.url(), pg.user(), pg.password(), sql);
            execute(maria.jdbcUrl(), maria.user(), maria.password(), sql);
        }
        dist.shell("iot:product-create --model examples/thing-models/thermostat.json thermo");
        reporterSecret = secret(dist.shell("iot:device-create thermo t-1"));
        targetSecret = secret(dist.shell("iot:device-create thermo t-2"));
        dist.shell("iot:datasource-add events kafka brokers=" + kafka.bootstrapServers());
        dist.shell("iot:datasource-add pg jdbc url=" + pg.url() + " user=" + pg.user() + " password=" + pg.password());
        dist.shell("iot:datasource-add maria jdbc url=" + maria.jdbcUrl() + " user=" + maria.user() + " password=" + maria.password());
        dist.shell("iot:datasource-add hooks http secret=" + SECRET);
        dist.shell("iot:datasource-add broker mqtt url=tcp://127.0.0.1:" + mosquittoPort);
    }

    @AfterClass
    public static void stop() throws Exception {
        if (dist != null) {
            dist.stop();
        }
        if (mosquitto != null) {
            mosquitto.destroy();
        }
        if (hooks != null) {
            hooks.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    private static String secret(String created) {
        Matcher m = Pattern.compile("device secret: (\\S+)").matcher(created);
        assertThat(m.find()).as(created).isTrue();
        return m.group(1);
    }

    private static void execute(String url, String user, String password, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(url, user, password); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private static List<String> rows(String url, String user, String password) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url, user, password); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT device, t FROM hot ORDER BY ts")) {
            while (rs.next()) {
                out.add(rs.getString(1) + " " + rs.getDouble(2));
            }
        }
        return out;
    }

    private static Path file(String prefix, String content) throws Exception {
        Path f = Files.createTempFile(prefix, ".json");
        Files.writeString(f, content, StandardCharsets.UTF_8);
        return f;
    }

    @Test
    public void everySinkReceivesExactlyTheSelectedRows() throws Exception {
        // Verifies each action end to end: a real device reports three values, the rule passes two, and Kafka, PostgreSQL,
        // MariaDB, the webhook, the MQTT broker and the second device each receive exactly those two.
        Path rule = file("hot", """
                {"id": "hot", "description": "hot rooms everywhere",
                 "sql": "%s",
                 "enabled": true,
                 "actions": [
                   {"type": "kafka", "options": {"datasource": "events", "topic": "hot", "key": "${deviceId}"}},
                   {"type": "jdbc", "options": {"datasource": "pg", "sql": "%s"}},
                   {"type": "jdbc", "options": {"datasource": "maria", "sql": "%s"}},
                   {"type": "http", "options": {"datasource": "hooks", "url": "%s"}},
                   {"type": "mqtt", "options": {"datasource": "broker", "topic": "alerts/${deviceId}"}},
                   {"type": "device", "options": {"deviceId": "t-2", "set.led": "true"}}
                 ]}
                """.formatted(HOT, INSERT, INSERT, hooks.url("/hot/${deviceId}")));
        assertThat(dist.shell("iot:rule-create --file " + rule)).contains("hot");
        assertThat(dist.shell("iot:rule-list --no-format")).contains("hot\trunning");
        assertThat(dist.shell("camel:route-list")).contains("rule-hot");

        List<String> alerts = new CopyOnWriteArrayList<>();
        MqttClient app = new MqttClient("tcp://127.0.0.1:" + mosquittoPort, "app-1", new MemoryPersistence());
        app.connect(new MqttConnectOptions());
        app.subscribe("alerts/#", 1, (topic, m) -> alerts.add(topic + " " + new String(m.getPayload(), StandardCharsets.UTF_8)));
        List<String> writes = new CopyOnWriteArrayList<>();
        try (DeviceClient target = DeviceClient.connect(dist.mqttPort, "thermo", "t-2", targetSecret);
             DeviceClient reporter = DeviceClient.connect(dist.mqttPort, "thermo", "t-1", reporterSecret)) {
            target.subscribeAll((suffix, payload) -> {
                if (suffix.equals("properties/write")) {
                    writes.add(payload);
                    String id = payload.replaceAll(".*\"messageId\":\"([^\"]+)\".*", "$1");
                    target.reply("properties/write/reply", "{\"messageId\":\"" + id + "\",\"success\":true}");
                }
            });
            reporter.publish("properties/report", "{\"messageId\":\"a1\",\"properties\":{\"temp\":20.5}}");
            reporter.publish("properties/report", "{\"messageId\":\"a2\",\"properties\":{\"temp\":31.5}}");
            reporter.publish("properties/report", "{\"messageId\":\"a3\",\"properties\":{\"temp\":35.0}}");

            List<KafkaBroker.Record> records = kafka.consume("hot", 2, Duration.ofSeconds(60));
            assertThat(records).extracting(KafkaBroker.Record::key).containsExactly("t-1", "t-1");
            assertThat(records.get(0).value()).contains("\"t\":31.5").contains("\"deviceId\":\"t-1\"");
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                assertThat(rows(pg.url(), pg.user(), pg.password())).containsExactly("t-1 31.5", "t-1 35.0");
                assertThat(rows(maria.jdbcUrl(), maria.user(), maria.password())).containsExactly("t-1 31.5", "t-1 35.0");
                assertThat(hooks.requests).hasSize(2);
                assertThat(alerts).hasSize(2);
                assertThat(writes).hasSize(2);
            });
        } finally {
            app.disconnect();
        }
        HttpReceiver.Request first = hooks.requests.get(0);
        assertThat(first.path()).isEqualTo("/hot/t-1");
        assertThat(first.header("X-Thingport-Signature")).isEqualTo("sha256="
                + DeviceClient.hmac(SECRET, first.header("X-Thingport-Timestamp") + "." + first.body()));
        assertThat(alerts.get(0)).startsWith("alerts/t-1 {").contains("\"t\":31.5");
        assertThat(writes.get(0)).contains("\"led\":true");
        assertThat(kafka.consume("hot", 3, Duration.ofSeconds(3))).as("nothing more").hasSize(2);
        assertThat(dist.shell("iot:rule-metrics hot")).contains("Rule hot: matched 3, passed 2, filtered 1, failed 0");
        assertThat(dist.shell("iot:rule-failed-list --no-format --rule hot").lines().filter(l -> l.contains("\thot\t"))).isEmpty();
        dist.shell("iot:rule-disable hot");
    }

    @Test
    public void kafkaDownHoldsTheRowsUntilItIsBackAndWhatFailsCanBeReplayed() throws Exception {
        // Verifies the retry buffer (Kafka down, then back: the row arrives), the failed-message store after the retry
        // budget, and a replay that delivers once.
        Path rule = file("outage", """
                {"id": "outage", "sql": "%s",
                 "actions": [{"type": "kafka", "options": {"datasource": "events", "topic": "outage", "key": "${deviceId}",
                   "retries": "%s", "backoffMs": "1000", "maxBackoffMs": "2000"}}]}
                """.formatted(HUMID, "30"));
        dist.shell("iot:rule-create --file " + rule);
        kafka.createTopic("outage", 1);
        try (DeviceClient reporter = DeviceClient.connect(dist.mqttPort, "thermo", "t-1", reporterSecret)) {
            kafka.stop();
            reporter.publish("properties/report", "{\"messageId\":\"b1\",\"properties\":{\"humidity\":41}}");
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(dist.shell("iot:rule-metrics --no-format outage")).containsPattern("kafka\\t0\\t0\\t0\\t[1-9]"));
            kafka.restart();
            List<KafkaBroker.Record> records = kafka.consume("outage", 1, Duration.ofSeconds(90));
            assertThat(records).singleElement().extracting(KafkaBroker.Record::value).asString().contains("\"h\":41");

            // A budget of no retries while Kafka is down: the row goes to the failed-message store.
            dist.shell("iot:rule-update --file " + file("outage2", Files.readString(rule).replace("\"30\"", "\"0\"")));
            kafka.stop();
            reporter.publish("properties/report", "{\"messageId\":\"b2\",\"properties\":{\"humidity\":42}}");
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    assertThat(dist.shell("iot:rule-failed-list --no-format --rule outage")).contains("\toutage\t"));
        }
        kafka.restart();
        assertThat(dist.shell("iot:rule-failed-replay --rule outage")).contains("1");
        List<KafkaBroker.Record> records = kafka.consume("outage", 2, Duration.ofSeconds(90));
        assertThat(records).extracting(KafkaBroker.Record::value).anyMatch(v -> v.contains("\"h\":42"));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(dist.shell("iot:rule-failed-list --no-format --rule outage")).doesNotContain("\toutage\t"));
        assertThat(kafka.consume("outage", 3, Duration.ofSeconds(5))).as("delivered once").hasSize(2);
        dist.shell("iot:rule-delete outage");
    }

    @Test
    public void aRouteFileInDeployReadsTheStreamUntilItIsDeleted() throws Exception {
        // Verifies the README's hand-written route: deploy/*.camel.xml runs in the platform's CamelContext on the stream.
        Path file = dist.home.resolve("deploy/reports.camel.xml");
        Files.writeString(file, """
                <routes xmlns="http://camel.apache.org/schema/spring">
                  <route id="thermo-reports">
                    <from uri="thingport-stream:reports?filters=RAW(/device/thermo/+/properties/report)"/>
                    <log message="${header.thingportTopic}: ${body}"/>
                  </route>
                </routes>
                """);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(dist.shell("camel:route-list")).contains("thermo-reports"));
        try (DeviceClient reporter = DeviceClient.connect(dist.mqttPort, "thermo", "t-1", reporterSecret)) {
            reporter.publish("properties/report", "{\"messageId\":\"x1\",\"properties\":{\"humidity\":7}}");
        }
        Path log = dist.home.resolve("data/log/karaf.log");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(Files.readString(log))
                .contains("/device/thermo/t-1/properties/report: ReportProperties[").contains("humidity=7"));
        Files.delete(file);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(dist.shell("camel:route-list")).doesNotContain("thermo-reports"));
    }

    @Test
    public void badRulesAreRefusedWithTheirReasonAndADryRunSendsNothing() throws Exception {
        // Verifies the shell's errors for a syntax error (line and column), an unknown property, an unknown data source,
        // and a dry run against a sample message.
        Path statement = Files.createTempFile("stmt", ".sql");
        Files.writeString(statement, "SELECT payload.properties.temp AS t\nFROM \"/thermo/+/properties/report\"\nWHERE t >");
        assertThat(dist.shellAllowingErrors("iot:rule-create bad " + statement + " log:")).contains("line 3");
        Files.writeString(statement, "SELECT payload.properties.tmp FROM \"/thermo/+/properties/report\"");
        assertThat(dist.shellAllowingErrors("iot:rule-create bad " + statement + " log:")).contains("unknown property 'tmp'");
        Files.writeString(statement, "SELECT deviceId FROM \"/thermo/+/properties/report\"");
        assertThat(dist.shellAllowingErrors("iot:rule-create bad " + statement + " kafka:datasource=nope,topic=x"))
                .contains("unknown data source 'nope'");
        assertThat(dist.shell("iot:rule-list --no-format")).doesNotContain("bad\t");
        Files.writeString(statement, "SELECT payload.properties.temp AS t, deviceId FROM \"/thermo/+/properties/report\""
                + " WHERE payload.properties.temp > 30");
        Path sample = file("sample", "{\"topic\":\"/thermo/t-9/properties/report\",\"payload\":{\"properties\":{\"temp\":33.5}}}");
        String dry = dist.shell("iot:rule-test --statement " + statement + " --message " + sample);
        assertThat(dry).contains("33.5").contains("t-9");
        try (DeviceClient reporter = DeviceClient.connect(dist.mqttPort, "thermo", "t-1", reporterSecret)) {
            reporter.publish("properties/report", "{\"messageId\":\"d1\",\"properties\":{\"temp\":36.5}}");
            reporter.publish("properties/report", "{\"messageId\":\"d2\",\"properties\":{\"temp\":12.5}}");
        }
        String stored = dist.shell("iot:rule-test --statement " + statement + " --device t-1 --count 20");
        assertThat(stored).as("the device's stored reports, above 30 or not").contains("36.5").contains("filtered out");
    }
}
