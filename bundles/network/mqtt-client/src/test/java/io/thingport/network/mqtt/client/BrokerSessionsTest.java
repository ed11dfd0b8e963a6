package io.thingport.network.mqtt.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BrokerSessionsTest {
    private static final String BROKER = "tcp://127.0.0.1:1883";

    @TempDir
    Path dir;

    @Test
    void whatIsLeftOnTheBrokerFollowsFromThePreviousRecord() {
        // Verifies the plan: another client id ends the old session; the same one drops the filters no longer wanted.
        // GIVEN what a component last subscribed with
        BrokerSessions.Record before = new BrokerSessions.Record(BROKER, "c1", List.of("/+/+/a", "/+/+/b"));
        // WHEN / THEN
        assertThat(BrokerSessions.plan(null, before, false).isNone()).isTrue();
        assertThat(BrokerSessions.plan(before, before, false).isNone()).isTrue();
        assertThat(BrokerSessions.plan(before, new BrokerSessions.Record(BROKER, "c2", List.of("/+/+/a")), false))
                .isEqualTo(new BrokerSessions.Cleanup("c1", List.of()));
        assertThat(BrokerSessions.plan(before, new BrokerSessions.Record(BROKER, "c1", List.of("/+/+/a", "/+/+/c")), false))
                .isEqualTo(new BrokerSessions.Cleanup(null, List.of("/+/+/b")));
        assertThat(BrokerSessions.plan(before, new BrokerSessions.Record(BROKER, "c1", List.of("/+/+/c")), true).isNone())
                .as("a clean session starts without the old subscriptions").isTrue();
        assertThat(BrokerSessions.plan(before, new BrokerSessions.Record("tcp://other:1883", "c2", List.of()), false).isNone())
                .as("the sessions of another broker are out of reach").isTrue();
    }

    @Test
    void theRecordSurvivesARestartAndABrokenFileIsIgnored() throws Exception {
        // Verifies the record file: written and read back with filters containing MQTT wildcards; garbage reads as none.
        BrokerSessions sessions = new BrokerSessions("broker-1", dir);
        BrokerSessions.Record record = new BrokerSessions.Record(BROKER, "c1", List.of("$share/g//+/+/a", "/#"));
        sessions.write(record);
        assertThat(new BrokerSessions("broker-1", dir).read()).contains(record);
        Files.writeString(dir.resolve("broker-1.properties"), "server\\u12");
        assertThat(new BrokerSessions("broker-1", dir).read()).isEmpty();
        assertThat(new BrokerSessions("broker-1", null).read()).isEmpty();
    }

    @Test
    void aComponentIdNeverNamesAFileOutsideTheFolder() throws Exception {
        // Verifies that an id from a hand-written configuration ("../x") is encoded into one file name in the folder.
        Path sessionsDir = Files.createDirectories(dir.resolve("sessions"));
        new BrokerSessions("../escape", sessionsDir).write(new BrokerSessions.Record(BROKER, "c1", List.of("/#")));
        assertThat(Files.exists(dir.resolve("escape.properties"))).isFalse();
        try (var files = Files.list(sessionsDir)) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactly("..%2Fescape.properties");
        }
        assertThat(new BrokerSessions("../escape", sessionsDir).read()).isPresent();
    }
}
