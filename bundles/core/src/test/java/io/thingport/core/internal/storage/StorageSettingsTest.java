package io.thingport.core.internal.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.thingport.core.internal.access.RecordingSystemLog;
import io.thingport.core.internal.access.StorageChangeRecorder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The keys of etc/io.thingport.storage.cfg: defaults, values, and refused values. */
class StorageSettingsTest {

    @Test
    void withoutAConfigurationTheDefaultsApply() {
        // Verifies the defaults the README and the shipped file state.
        StorageSettings s = StorageSettings.defaults();
        assertThat(s.deviceLogMaxAge()).isEqualTo(Duration.ofDays(30));
        assertThat(s.deviceLogMaxRowsPerDevice()).isEqualTo(100_000);
        assertThat(s.deviceLogMaxPayloadBytes()).isEqualTo(4096);
        assertThat(s.propertyHistoryMaxAge()).isEqualTo(Duration.ofDays(90));
        assertThat(s.propertyHistoryMaxReportsPerDevice()).isZero();
        assertThat(s.refusedLoginsInterval()).isEqualTo(Duration.ofSeconds(60));
        assertThat(s.refusedLoginsMaxTracked()).isEqualTo(10_000);
        assertThat(s.purgeInterval()).isEqualTo(Duration.ofMinutes(60));
        assertThat(s.purgeBatchSize()).isEqualTo(1000);
        assertThat(s.accessLogMaxAge()).isEqualTo(Duration.ofDays(90));
        assertThat(s.accessLogMaxRows()).isEqualTo(1_000_000);
        assertThat(s.systemLogMaxAge()).isEqualTo(Duration.ofDays(90));
        assertThat(s.systemLogMaxRows()).isEqualTo(100_000);
        assertThat(s.alarmsMaxAge()).isEqualTo(Duration.ofDays(365));
        assertThat(s.alarmsMaxRows()).isEqualTo(1_000_000);
    }

    @Test
    void valuesAreReadAsTextOrNumbersAndTheSystemKeysIgnored() {
        // Verifies values from a .cfg file (text, with blanks) and from ConfigurationAdmin (numbers).
        StorageSettings.Parsed parsed = StorageSettings.parse(Map.of("deviceLog.maxAgeDays", " 7 ", "purge.batchSize", 250,
                "deviceLog.maxPayloadBytes", 65536L, "service.pid", "io.thingport.storage", "felix.fileinstall.filename", "file:/x"));
        assertThat(parsed.problems()).isEmpty();
        assertThat(parsed.settings().deviceLogMaxAge()).isEqualTo(Duration.ofDays(7));
        assertThat(parsed.settings().purgeBatchSize()).isEqualTo(250);
        assertThat(parsed.settings().deviceLogMaxPayloadBytes()).isEqualTo(65536);
    }

    @Test
    void aBadValueIsRefusedNamingItsKeyAndTheDefaultStays() {
        // Verifies negative, non-numeric and out-of-range values, and an unknown (misspelt) key: each is named, the
        // other keys still apply.
        // GIVEN / WHEN
        StorageSettings.Parsed parsed = StorageSettings.parse(Map.of("deviceLog.maxAgeDays", "-1", "propertyHistory.maxAgeDays",
                "ninety", "purge.batchSize", "1000000", "deviceLog.maxPayloadBytes", "1.5", "refusedLogins.intervalSeconds", "30",
                "deviceLog.maxAgeDay", "3"));
        // THEN
        assertThat(parsed.problems()).containsExactlyInAnyOrder(
                "deviceLog.maxAgeDays = '-1' is refused: it must be from 0 to 36500; the default 30 stays in force",
                "deviceLog.maxPayloadBytes = '1.5' is refused: it is not a whole number; the default 4096 stays in force",
                "propertyHistory.maxAgeDays = 'ninety' is refused: it is not a whole number; the default 90 stays in force",
                "purge.batchSize = '1000000' is refused: it must be from 1 to 10000; the default 1000 stays in force",
                "unknown key deviceLog.maxAgeDay is ignored (the keys are [deviceLog.maxAgeDays, deviceLog.maxRowsPerDevice,"
                        + " deviceLog.maxPayloadBytes, propertyHistory.maxAgeDays, propertyHistory.maxReportsPerDevice,"
                        + " refusedLogins.intervalSeconds, refusedLogins.maxTracked, purge.intervalMinutes, purge.batchSize,"
                        + " uplinks.maxInflight, uplinks.maxInflightBytes, writer.maxQueuedWrites, logins.maxQueued,"
                        + " writer.threads, accessLog.maxAgeDays, accessLog.maxRows, systemLog.maxAgeDays, systemLog.maxRows,"
                        + " alarms.maxAgeDays, alarms.maxRows, commandQueue.maxAgeDays])");
        StorageSettings s = parsed.settings();
        assertThat(s.deviceLogMaxAge()).isEqualTo(Duration.ofDays(30));
        assertThat(s.propertyHistoryMaxAge()).isEqualTo(Duration.ofDays(90));
        assertThat(s.purgeBatchSize()).isEqualTo(1000);
        assertThat(s.deviceLogMaxPayloadBytes()).isEqualTo(4096);
        assertThat(s.refusedLoginsInterval()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void aChangedConfigurationReplacesTheSettingsAndABadOneFallsBackToTheDefault() {
        // Verifies StorageConfiguration's @Modified: a new value applies at once; a bad one later gives the default.
        StorageConfiguration config = new StorageConfiguration(Map.of("deviceLog.maxPayloadBytes", "1024"));
        assertThat(config.settings().deviceLogMaxPayloadBytes()).isEqualTo(1024);
        config.modified(Map.of("deviceLog.maxPayloadBytes", "-5"));
        assertThat(config.settings().deviceLogMaxPayloadBytes()).isEqualTo(4096);
    }

    @Test
    void theChangesInForceBetweenTwoConfigurationsAreNamedKeyByKey() {
        // Verifies StorageSettings.changes: a changed value, a key removed (back to its default), a refused value (its
        // default in force, so no change) and a value written differently but equal are told apart.
        List<String> changes = StorageSettings.changes(Map.of("deviceLog.maxAgeDays", "30", "accessLog.maxRows", "5000",
                "purge.batchSize", "200"), Map.of("deviceLog.maxAgeDays", " 7", "systemLog.maxAgeDays", "-3", "purge.batchSize", 200));
        assertThat(changes).containsExactly("deviceLog.maxAgeDays 30 -> 7", "accessLog.maxRows 5000 -> 1000000");
        assertThat(StorageSettings.changes(Map.of(), Map.of())).isEmpty();
    }

    @Test
    void aChangedConfigurationIsWrittenToTheSystemLog() {
        // Verifies StorageConfiguration's @Modified with the system log's recorder listening: one line with what changed,
        // one with what was refused; nothing when nothing changed and nothing was refused.
        // GIVEN
        StorageConfiguration config = new StorageConfiguration(Map.of("deviceLog.maxAgeDays", "30"));
        RecordingSystemLog log = new RecordingSystemLog();
        new StorageChangeRecorder(config, log);
        // WHEN
        config.modified(Map.of("deviceLog.maxAgeDays", "7", "systemLog.maxRows", "5000", "purge.batchSize", "x"));
        config.modified(Map.of("deviceLog.maxAgeDays", "7", "systemLog.maxRows", "5000"));
        // THEN
        assertThat(log.lines()).containsExactly(
                "INFO config io.thingport.storage: storage settings changed: deviceLog.maxAgeDays 30 -> 7,"
                        + " systemLog.maxRows 100000 -> 5000",
                "WARN config io.thingport.storage: storage settings refused: purge.batchSize = 'x' is refused: it is not a whole number;"
                        + " the default 1000 stays in force");
        assertThat(config.settings().systemLogMaxRows()).isEqualTo(5000);
    }
}
