package io.thingport.core.internal.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.message.DeviceOnline;
import io.thingport.api.message.ErrorMessage;
import io.thingport.api.message.MessageHeader;
import io.thingport.api.message.ReportProperties;
import io.thingport.api.message.WriteProperties;
import io.thingport.api.rule.ActionSpec;
import io.thingport.api.rule.DryRunResult;
import io.thingport.api.rule.FailedMessage;
import io.thingport.api.rule.RuleDefinition;
import io.thingport.api.rule.RuleInfo;
import io.thingport.api.rule.RuleMetrics;
import io.thingport.core.internal.json.Json;
import io.thingport.testsupport.HttpReceiver;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("storage")
class RuleEngineTest {
    private static final String HOT = "SELECT payload.properties.temp AS t, deviceId FROM \"/p1/+/properties/report\""
            + " WHERE payload.properties.temp > 30";
    private static final String SECRET = "0123456789abcdef-secret";

    private RuleFixture f;
    private HttpReceiver receiver;

    @BeforeEach
    void start() throws Exception {
        f = new RuleFixture();
        receiver = new HttpReceiver();
        f.engine.addDataSource("hooks", "http", Map.of("secret", SECRET));
    }

    @AfterEach
    void stop() {
        receiver.close();
        f.close();
    }

    private ActionSpec http(String... extra) {
        Map<String, String> options = new TreeMap<>(Map.of("url", receiver.url("/hook/${deviceId}"), "datasource", "hooks"));
        for (int i = 0; i < extra.length; i += 2) {
            options.put(extra[i], extra[i + 1]);
        }
        return new ActionSpec("http", options);
    }

    private static RuleDefinition rule(String id, String sql, ActionSpec... actions) {
        return new RuleDefinition(id, "", sql, List.of(actions), List.of(), true);
    }

    @Test
    void aRuleSendsExactlyTheSelectedRowsSignedToItsWebhook() throws Exception {
        // Verifies that only the messages the WHERE clause passes reach the action, as the selected columns, signed.
        // GIVEN a rule on hot reports to a webhook
        RuleInfo info = f.engine.create(rule("hot", HOT, http()));
        assertThat(info.state()).isEqualTo("running");
        assertThat(f.camel.getRoute("rule-hot")).isNotNull();
        // WHEN three reports arrive, two of them above 30
        f.report("d1", Map.of("temp", 20.0));
        f.report("d1", Map.of("temp", 31.5));
        f.report("d2", Map.of("temp", 35.0));
        // THEN the webhook gets exactly those two, each signed over its timestamp and body
        await().atMost(Duration.ofSeconds(10)).until(() -> receiver.requests.size() == 2);
        assertThat(receiver.requests).extracting(HttpReceiver.Request::path).containsExactlyInAnyOrder("/hook/d1", "/hook/d2");
        HttpReceiver.Request first = receiver.requests.stream().filter(r -> r.path().equals("/hook/d1")).findFirst().orElseThrow();
        assertThat(Json.toJava(first.body())).isEqualTo(Map.of("t", 31.5, "deviceId", "d1"));
        assertThat(first.header("X-Thingport-Signature"))
                .isEqualTo("sha256=" + Sinks.sign(SECRET, first.header("X-Thingport-Timestamp") + "." + first.body()));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            RuleMetrics m = f.engine.metrics("hot");
            assertThat(m.matched()).isEqualTo(3);
            assertThat(m.passed()).isEqualTo(2);
            assertThat(m.filtered()).isEqualTo(1);
            assertThat(m.actions().get(0).success()).isEqualTo(2);
        });
        MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
        assertThat(jmx.getAttribute(new ObjectName("io.thingport:type=Rule,name=hot"), "Passed")).isEqualTo(2L);
        assertThat(jmx.getAttribute(new ObjectName("io.thingport:type=Rule,name=hot"), "ActionSuccess")).isEqualTo(2L);
        assertThat(receiver.requests).hasSize(2);
    }

    @Test
    void whatAnActionGivesUpOnIsStoredRunsTheFallbacksAndIsDeliveredOnceWhenReplayed() {
        // Verifies the failure path: retries, the failed-message store, the fallback actions, and replay delivering once.
        // GIVEN a webhook that answers 500, an action with two retries and a fallback to the rule's log
        receiver.status = 500;
        f.engine.create(new RuleDefinition("hot", "", HOT, List.of(http("retries", "2", "backoffMs", "10")),
                List.of(new ActionSpec("log", Map.of())), true));
        // WHEN a hot report arrives
        f.report("d1", Map.of("temp", 40.0));
        // THEN after three attempts the row is in the failed-message store with the peer's answer, and the fallback ran
        await().atMost(Duration.ofSeconds(10)).until(() -> f.engine.failed("hot", 10).size() == 1);
        FailedMessage failed = f.engine.failed("hot", 10).get(0);
        assertThat(failed.action()).isEqualTo("actions[0] http");
        assertThat(failed.error()).startsWith("HTTP 500 from POST http://127.0.0.1:");
        assertThat(failed.attempts()).isEqualTo(3);
        assertThat(failed.deviceId()).isEqualTo("d1");
        assertThat(Json.toJava(failed.payload())).isEqualTo(Map.of("t", 40.0, "deviceId", "d1"));
        await().atMost(Duration.ofSeconds(5)).until(() -> f.engine.metrics("hot").actions().get(1).success() == 1);
        assertThat(f.engine.metrics("hot").actions().get(0).retries()).isEqualTo(2);
        // WHEN the webhook works again and the operator replays the rule's failed messages
        receiver.status = 200;
        assertThat(f.engine.replay(null, "hot")).isEqualTo(1);
        // THEN the row is delivered once and leaves the store
        await().atMost(Duration.ofSeconds(10)).until(() -> f.engine.failed("hot", 10).isEmpty());
        assertThat(receiver.requests).hasSize(1);
        assertThat(Json.toJava(receiver.requests.get(0).body())).isEqualTo(Map.of("t", 40.0, "deviceId", "d1"));
        assertThatThrownBy(() -> f.engine.replay(failed.id(), null)).isInstanceOf(ThingportException.class)
                .hasMessageContaining("failed message").hasMessageContaining(String.valueOf(failed.id()));
    }

    @Test
    void aReplayThatFailsAgainStaysInTheStoreOnceWithItsNewError() {
        // Verifies that a failed replay updates the stored row instead of adding a second one.
        receiver.status = 500;
        f.engine.create(rule("hot", HOT, http("retries", "0")));
        f.report("d1", Map.of("temp", 40.0));
        await().atMost(Duration.ofSeconds(10)).until(() -> f.engine.failed("hot", 10).size() == 1);
        receiver.status = 503;
        f.engine.replay(null, null);
        await().atMost(Duration.ofSeconds(10)).until(() -> f.engine.failed("hot", 10).get(0).error().startsWith("HTTP 503"));
        assertThat(f.engine.failed("hot", 10)).hasSize(1);
        assertThat(f.engine.failed("hot", 10).get(0).attempts()).isEqualTo(2);
        assertThat(f.engine.discard(null, "hot")).isEqualTo(1);
        assertThat(f.engine.failed(null, 10)).isEmpty();
    }

    @Test
    void aMessageMatchingTwoSourcesRunsTheRuleOnce() {
        // Verifies that overlapping FROM sources do not deliver a message twice.
        f.engine.create(rule("both", HOT.replace("FROM \"/p1/+/properties/report\"", "FROM \"/p1/+/#\", \"/p1/+/properties/report\""),
                http()));
        f.report("d1", Map.of("temp", 40.0));
        await().atMost(Duration.ofSeconds(10)).until(() -> f.engine.metrics("both").actions().get(0).success() == 1);
        assertThat(f.engine.metrics("both").matched()).isEqualTo(1);
        assertThat(receiver.requests).hasSize(1);
    }

    @Test
    void deviceDataCannotChangeAWebhooksHostPathOrBodyShape() {
        // Verifies the http action against hostile values: the host and port are literal, a value cannot walk the
        // path up, and a body template gets JSON values, so a device's text cannot add fields.
        for (String url : List.of("https://user@${deviceId}/", "http://api.example.com${deviceId}/x", "http://h:${deviceId}/")) {
            assertThatThrownBy(() -> f.engine.create(rule("r", HOT, http("url", url)))).as(url)
                    .hasMessageContaining("host and port literally");
        }
        f.engine.create(new RuleDefinition("body", "", "SELECT messageId AS m, deviceId FROM \"/p1/+/properties/report\"",
                List.of(http("url", receiver.url("/b/${m}"), "retries", "0", "body", "{\"id\":${m},\"device\":${deviceId}}")), List.of(),
                true));
        String hostile = "x\",\"admin\":true,\"y\":\"";
        f.publish(new ReportProperties(MessageHeader.of(hostile, "p1", "d1", System.currentTimeMillis()), Map.of("temp", 1.0)));
        await().atMost(Duration.ofSeconds(10)).until(() -> receiver.requests.size() == 1);
        assertThat(Json.toJava(receiver.requests.get(0).body())).isEqualTo(Map.of("id", hostile, "device", "d1"));
        f.publish(new ReportProperties(MessageHeader.of("..", "p1", "d1", System.currentTimeMillis()), Map.of("temp", 1.0)));
        await().atMost(Duration.ofSeconds(10)).until(() -> f.engine.failed("body", 10).size() == 1);
        assertThat(f.engine.failed("body", 10).get(0).error()).contains("would change the path");
        assertThat(receiver.requests).hasSize(1);
    }

    @Test
    void aClientErrorIsNotRetried() {
        // Verifies that an HTTP 4xx (the same answer on every attempt) is given up at once, not after the retries.
        receiver.status = 422;
        f.engine.create(rule("hot", HOT, http("retries", "5", "backoffMs", "2000")));
        f.report("d1", Map.of("temp", 40.0));
        await().atMost(Duration.ofSeconds(5)).until(() -> f.engine.failed("hot", 10).size() == 1);
        assertThat(f.engine.failed("hot", 10).get(0).attempts()).isEqualTo(1);
        assertThat(f.engine.failed("hot", 10).get(0).error()).startsWith("HTTP 422");
    }

    @Test
    void aSlowWebhookTimesOutAndTheRowIsKept() {
        // Verifies the HTTP timeout: an answer later than timeoutMs fails the attempt.
        receiver.delayMs = 2_000;
        f.engine.create(rule("hot", HOT, http("retries", "0", "timeoutMs", "200")));
        f.report("d1", Map.of("temp", 40.0));
        await().atMost(Duration.ofSeconds(10)).until(() -> f.engine.failed("hot", 10).size() == 1);
        assertThat(f.engine.failed("hot", 10).get(0).error()).containsIgnoringCase("timed out");
    }

    @Test
    void aDeviceActionWritesTheOtherDeviceAndAnOfflineTargetLandsInTheStore() {
        // Verifies the M2M linkage: a report of d1 writes d2's led, with the value from the selected row.
        f.engine.create(rule("link", "SELECT payload.properties.temp > 30 AS hot FROM \"/p1/d1/properties/report\"",
                new ActionSpec("device", Map.of("deviceId", "d2", "set.led", "${hot}", "retries", "0"))));
        f.report("d1", Map.of("temp", 35.0));
        await().atMost(Duration.ofSeconds(10)).until(() -> f.commands.size() == 1);
        WriteProperties write = (WriteProperties) f.commands.get(0);
        assertThat(write.deviceId()).isEqualTo("d2");
        assertThat(write.properties()).isEqualTo(Map.of("led", true));
        // WHEN the target is offline
        f.replies = c -> CompletableFuture.failedFuture(new ThingportException(ErrorCode.DEVICE_OFFLINE, "device d2 is offline"));
        f.report("d1", Map.of("temp", 10.0));
        // THEN the row is kept with the reason
        await().atMost(Duration.ofSeconds(10)).until(() -> f.engine.failed("link", 10).size() == 1);
        assertThat(f.engine.failed("link", 10).get(0).error()).contains("device d2 is offline");
    }

    @Test
    void platformEventsAreSources() {
        // Verifies $events/device/online: an online event reaches a rule that reads it.
        f.engine.create(rule("online", "SELECT deviceId, payload.node AS node FROM \"$events/device/online\"",
                http("url", receiver.url("/online"))));
        f.publish(new DeviceOnline(MessageHeader.of("o1", "p1", "d1", System.currentTimeMillis()), "node-a", "127.0.0.1:5000"));
        await().atMost(Duration.ofSeconds(10)).until(() -> receiver.requests.size() == 1);
        assertThat(Json.toJava(receiver.requests.get(0).body())).isEqualTo(Map.of("deviceId", "d1", "node", "node-a"));
        // and $events/message/rejected: the /error a device got for a refused message
        f.engine.create(rule("refused", "SELECT deviceId, payload.code AS code FROM \"$events/message/rejected\"",
                http("url", receiver.url("/refused"))));
        f.publish(new ErrorMessage(MessageHeader.of("e1", "p1", "d2", System.currentTimeMillis()), ErrorCode.INVALID_VALUE,
                "temp: 200 is above 85", "/p1/d2/properties/report"));
        await().atMost(Duration.ofSeconds(10)).until(() -> receiver.requests.size() == 2);
        assertThat(Json.toJava(receiver.requests.get(1).body())).isEqualTo(Map.of("deviceId", "d2", "code", "invalid_value"));
    }

    @Test
    void badRulesAreRefusedNamingTheProblemAndNothingIsStored() {
        // Verifies the checks at save: syntax with line and column, unknown property, unknown data source, unknown option,
        // a template naming an unselected column, an unknown action type.
        assertThatThrownBy(() -> f.engine.create(rule("r", "SELECT temp\nFROM \"/p1/+/properties/report\" WHERE", http())))
                .hasMessageContaining("line 2");
        assertThatThrownBy(() -> f.engine.create(rule("r", "SELECT payload.properties.tmp FROM \"/p1/+/properties/report\"", http())))
                .hasMessageContaining("tmp");
        assertThatThrownBy(() -> f.engine.create(rule("r", HOT, new ActionSpec("kafka", Map.of("datasource", "nope", "topic", "t")))))
                .hasMessageContaining("unknown data source 'nope'");
        assertThatThrownBy(() -> f.engine.create(rule("r", HOT, http("colour", "red"))))
                .hasMessageContaining("actions[0] http: unknown option colour");
        assertThatThrownBy(() -> f.engine.create(rule("r", HOT, http("url", receiver.url("/x/${productId}")))))
                .hasMessageContaining("${productId}").hasMessageContaining("does not select");
        assertThatThrownBy(() -> f.engine.create(rule("r", HOT, new ActionSpec("ftp", Map.of()))))
                .hasMessageContaining("unknown action type 'ftp'");
        assertThatThrownBy(() -> f.engine.create(rule("r", HOT, new ActionSpec("jdbc", Map.of("datasource", "hooks",
                "sql", "INSERT INTO t VALUES (:t)"))))).hasMessageContaining("is of type http, not jdbc");
        assertThatThrownBy(() -> f.engine.create(rule("bad id!", HOT, http()))).hasMessageContaining("rule id");
        f.engine.addDataSource("broker", "mqtt", Map.of("url", "tcp://127.0.0.1:1883"));
        assertThatThrownBy(() -> f.engine.create(rule("r", HOT, new ActionSpec("mqtt", Map.of("datasource", "broker",
                "topic", "/p1/${deviceId}/properties/report"))))).hasMessageContaining("can trigger itself");
        assertThat(f.engine.list()).isEmpty();
    }

    @Test
    void everyChangeIsAVersionAndRollbackRestoresAnEarlierOne() {
        // Verifies update, history, rollback, disable/enable and delete, each on one rule only.
        f.engine.create(rule("hot", HOT, http()));
        f.engine.create(rule("other", HOT, new ActionSpec("log", Map.of())));
        RuleInfo updated = f.engine.update(rule("hot", HOT.replace("> 30", "> 50"), http()), 1, "updated");
        assertThat(updated.version()).isEqualTo(2);
        assertThatThrownBy(() -> f.engine.update(rule("hot", HOT, http()), 1, "updated")).hasMessageContaining("version 2");
        assertThat(f.engine.history("hot")).extracting(v -> v.version() + " " + v.change()).containsExactly("1 created", "2 updated");
        RuleInfo back = f.engine.rollback("hot", 1);
        assertThat(back.version()).isEqualTo(3);
        assertThat(back.definition().sql()).isEqualTo(HOT);
        assertThat(f.engine.setEnabled("hot", false).state()).isEqualTo("disabled");
        assertThat(f.camel.getRoute("rule-hot")).isNull();
        assertThat(f.camel.getRoute("rule-other")).isNotNull();
        assertThat(f.engine.setEnabled("hot", true).state()).isEqualTo("running");
        f.engine.delete("hot");
        assertThat(f.engine.get("hot")).isEmpty();
        assertThat(f.camel.getRoute("rule-hot")).isNull();
        assertThat(f.engine.get("other").orElseThrow().state()).isEqualTo("running");
        assertThatThrownBy(() -> f.engine.delete("hot")).hasMessageContaining("hot");
    }

    @Test
    void rulesSurviveARestartAndExportImportAllOrNone() {
        // Verifies persistence and the JSON export/import, where one bad rule refuses the whole document.
        f.engine.create(rule("hot", HOT, http()));
        f.engine.create(new RuleDefinition("off", "kept off", HOT, List.of(new ActionSpec("log", Map.of())), List.of(), false));
        f.restartEngine();
        assertThat(f.engine.list()).extracting(i -> i.definition().id() + " " + i.state()).containsExactly("hot running", "off disabled");
        String exported = f.engine.exportJson(List.of());
        f.engine.delete("hot");
        f.engine.delete("off");
        String broken = exported.replace("\"off\"", "\"off2\"").replace("log", "nope");
        assertThatThrownBy(() -> f.engine.importJson(broken)).hasMessageContaining("unknown action type 'nope'");
        assertThat(f.engine.list()).isEmpty();
        assertThat(f.engine.importJson(exported)).hasSize(2);
        assertThat(f.engine.list()).extracting(i -> i.definition().id()).containsExactly("hot", "off");
        assertThatThrownBy(() -> f.engine.importJson("{\"rules\":[{\"id\":\"x\",\"colour\":1}]}")).hasMessageContaining("colour");
    }

    @Test
    void aDryRunShowsTheRowAndWhatEachActionWouldReceiveWithoutSending() {
        // Verifies iot:rule-test on a sample: matched, the row, the action's input; nothing is sent.
        RuleDefinition r = rule("hot", HOT, http());
        DryRunResult hot = f.engine.test(r, "{\"topic\":\"/p1/d9/properties/report\",\"payload\":{\"properties\":{\"temp\":33}}}");
        assertThat(hot.matched()).isTrue();
        assertThat(hot.row()).isEqualTo(Map.of("t", 33, "deviceId", "d9"));
        assertThat(hot.actionInputs()).singleElement().asString().contains("POST " + receiver.url("/hook/d9")).contains("(signed)");
        DryRunResult cold = f.engine.test(r, "{\"topic\":\"/p1/d9/properties/report\",\"payload\":{\"properties\":{\"temp\":3}}}");
        assertThat(cold.matched()).isTrue();
        assertThat(cold.row()).isNull();
        DryRunResult other = f.engine.test(r, "{\"topic\":\"/p2/d9/properties/report\"}");
        assertThat(other.matched()).isFalse();
        assertThatThrownBy(() -> f.engine.test(r, "[1]")).hasMessageContaining("JSON object");
        assertThat(receiver.requests).isEmpty();
        assertThat(f.engine.list()).isEmpty();
    }

    @Test
    void aDataSourceInUseCannotBeDeletedAndItsSecretIsNeverShown() {
        // Verifies data-source management: masked secrets, refused bad settings, refused deletion while used.
        f.engine.create(rule("hot", HOT, http()));
        assertThat(f.engine.dataSource("hooks").orElseThrow().options()).containsEntry("secret", "******");
        assertThat(f.engine.dataSource("hooks").orElseThrow().usedBy()).containsExactly("hot");
        assertThatThrownBy(() -> f.engine.deleteDataSource("hooks")).hasMessageContaining("used by rule(s) hot");
        assertThatThrownBy(() -> f.engine.addDataSource("k", "kafka", Map.of("brokers", "nohost"))).hasMessageContaining("host:port");
        assertThatThrownBy(() -> f.engine.addDataSource("h", "http", Map.of("secret", "short"))).hasMessageContaining("16");
        assertThatThrownBy(() -> f.engine.addDataSource("hooks", "http", Map.of("secret", SECRET))).hasMessageContaining("already exists");
        f.engine.delete("hot");
        f.engine.deleteDataSource("hooks");
        assertThat(f.engine.dataSources()).isEmpty();
    }

    @Test
    void eachChangeOfARuleAndARuleThatCannotStartAreWrittenToTheSystemLog() {
        // Verifies the rule engine's system events: created, updated, disabled, enabled, deleted, one line each with the
        // version, and a rule whose product is gone failing to start after a restart (ERROR, with the reason).
        // GIVEN / WHEN
        f.engine.create(rule("hot", HOT, http()));
        f.engine.update(rule("hot", HOT, http(), new ActionSpec("log", Map.of())), null, "updated");
        f.engine.setEnabled("hot", false);
        f.engine.setEnabled("hot", true);
        f.engine.delete("hot");
        f.engine.create(rule("cold", HOT, new ActionSpec("log", Map.of())));
        f.registry.devices.deleteDevice("d1");
        f.registry.devices.deleteDevice("d2");
        f.registry.products.deleteProduct("p1");
        f.restartEngine();
        // THEN
        List<String> lines = f.systemLog.lines();
        assertThat(lines.subList(0, 6)).containsExactly("INFO rule hot: rule created (version 1)",
                "INFO rule hot: rule updated (version 2)", "INFO rule hot: rule disabled (version 3)",
                "INFO rule hot: rule enabled (version 4)", "INFO rule hot: rule deleted", "INFO rule cold: rule created (version 1)");
        assertThat(lines).hasSize(7);
        assertThat(lines.get(6)).startsWith("ERROR rule cold: rule failed to start: ").contains("p1");
        assertThat(f.engine.get("cold").orElseThrow().state()).startsWith("failed: ");
    }
}
