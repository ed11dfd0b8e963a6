package io.thingport.core.internal.shadow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.device.PropertyValue;
import io.thingport.api.model.ThingModel;
import io.thingport.api.shadow.ShadowDocument;
import io.thingport.api.shadow.ShadowService;
import io.thingport.api.shadow.ShadowUpdate;
import io.thingport.core.internal.json.ThingModelJson;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StoredShadowTest {
    static final ThingModel MODEL = ThingModelJson.parse("""
            {"properties":[
              {"id":"temp","type":{"type":"float","min":-40,"max":85}},
              {"id":"led","type":"bool","access":"read-write"},
              {"id":"level","type":{"type":"int","min":0,"max":100},"access":"read-write"},
              {"id":"note","type":{"type":"string","maxLength":20000},"access":"read-write"}]}
            """);

    private static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private static ShadowUpdate desired(Map<String, Object> keys, Long version) {
        return new ShadowUpdate(keys, false, Map.of(), false, null, version);
    }

    private static ShadowUpdate reported(Map<String, Object> keys) {
        return new ShadowUpdate(Map.of(), false, keys, false, null, null);
    }

    private static PropertyValue value(String property, Object v, long ts) {
        return new PropertyValue("dev-1", property, v, String.valueOf(v), Instant.ofEpochMilli(ts));
    }

    @Test
    void anUpdateMergesKeysNullDeletesAndEachChangeCountsOneVersion() {
        // Verifies the merge: keys replace, null deletes, "desired":null clears, timestamps per key, version + 1 each time.
        // GIVEN a shadow with led and level desired at t=100
        StoredShadow one = StoredShadow.EMPTY.apply(desired(map("led", true, "level", 40), null), MODEL, 100);
        // WHEN level is deleted and led changed at t=200
        StoredShadow two = one.apply(desired(map("level", null, "led", false), 1L), MODEL, 200);
        // THEN
        assertThat(one.version()).isEqualTo(1);
        assertThat(two.desired()).isEqualTo(Map.of("led", false));
        assertThat(two.desiredAt()).isEqualTo(Map.of("led", 200L));
        assertThat(two.version()).isEqualTo(2);
        StoredShadow cleared = two.apply(new ShadowUpdate(Map.of(), true, Map.of(), false, null, null), MODEL, 300);
        assertThat(cleared.desired()).isEmpty();
        assertThat(cleared.version()).isEqualTo(3);
        assertThat(cleared.cleared(400).version()).as("a delete counts too").isEqualTo(4);
    }

    @Test
    void aStaleVersionIsAConflictAndChangesNothing() {
        // Verifies optimistic concurrency: an update naming another version than the current one is refused.
        StoredShadow one = StoredShadow.EMPTY.apply(desired(map("led", true), null), MODEL, 100);
        assertThatThrownBy(() -> one.apply(desired(map("led", false), 0L), MODEL, 200)).isInstanceOf(ThingportException.class)
                .hasMessage("version 0 is not the shadow's current version 1")
                .extracting(e -> ((ThingportException) e).code()).isEqualTo(ErrorCode.CONFLICT);
        assertThat(one.desired()).isEqualTo(Map.of("led", true));
        assertThat(one.apply(desired(map("led", false), 1L), MODEL, 200).version()).isEqualTo(2);
    }

    @Test
    void desiredValuesMustBeWritablePropertiesAndReportedOnesProperties() {
        // Verifies the thing-model checks: unknown key, read-only desired, out of range, wrong type; reported is checked
        // as a report (read-only allowed); numbers are canonicalised.
        assertThatThrownBy(() -> StoredShadow.EMPTY.apply(desired(map("colour", "red"), null), MODEL, 1))
                .extracting(e -> ((ThingportException) e).code()).isEqualTo(ErrorCode.UNKNOWN_IDENTIFIER);
        assertThatThrownBy(() -> StoredShadow.EMPTY.apply(desired(map("temp", 20), null), MODEL, 1))
                .hasMessageContaining("read-only");
        assertThatThrownBy(() -> StoredShadow.EMPTY.apply(desired(map("level", 101), null), MODEL, 1))
                .extracting(e -> ((ThingportException) e).code()).isEqualTo(ErrorCode.INVALID_VALUE);
        assertThatThrownBy(() -> StoredShadow.EMPTY.apply(desired(map("led", "on"), null), MODEL, 1))
                .extracting(e -> ((ThingportException) e).code()).isEqualTo(ErrorCode.INVALID_VALUE);
        assertThatThrownBy(() -> StoredShadow.EMPTY.apply(reported(map("temp", 900)), MODEL, 1))
                .extracting(e -> ((ThingportException) e).code()).isEqualTo(ErrorCode.INVALID_VALUE);
        StoredShadow ok = StoredShadow.EMPTY.apply(reported(map("temp", 20)), MODEL, 1);
        assertThat(ok.reported()).isEqualTo(Map.of("temp", 20.0));
        assertThat(StoredShadow.EMPTY.apply(desired(map("nothing", null), null), MODEL, 1).version())
                .as("deleting a key that is not there is no error").isEqualTo(1);
        assertThat(StoredShadow.EMPTY.apply(reported(map("nothing", null, "temp", null)), MODEL, 1).tombstones())
                .as("only properties leave tombstones: deletes of other keys cannot grow the stored row").isEqualTo(Map.of("temp", 1L));
    }

    @Test
    void aStateOverTheLimitIsRefused() {
        // Verifies the size bound on desired and reported together.
        StoredShadow half = StoredShadow.EMPTY.apply(desired(map("note", "x".repeat(5000)), null), MODEL, 1);
        assertThatThrownBy(() -> half.apply(reported(map("note", "y".repeat(4000))), MODEL, 2))
                .isInstanceOf(ThingportException.class).hasMessageContaining("more than the " + ShadowService.MAX_STATE_BYTES + " allowed")
                .extracting(e -> ((ThingportException) e).code()).isEqualTo(ErrorCode.TOO_LARGE);
        assertThat(half.stateBytes()).isLessThan(ShadowService.MAX_STATE_BYTES);
    }

    @Test
    void theViewMergesNewerPropertyReportsAndComputesTheDelta() {
        // Verifies the reported state: per property the later of the shadow's value and the stored report; a delete hides
        // older reports but not newer ones; the delta holds desired keys that differ (numbers compared by value).
        // GIVEN desired led=true, level=40 and reported level=40 at t=100 through the shadow
        StoredShadow s = StoredShadow.EMPTY.apply(new ShadowUpdate(map("led", true, "level", 40), false, map("level", 40), false,
                null, null), MODEL, 100);
        // WHEN the property store has led=false at 150, level=10 at 50 (older), temp=20.5 at 120
        ShadowDocument d = s.view("dev-1", Map.of("led", value("led", false, 150), "level", value("level", 10, 50),
                "temp", value("temp", 20.5, 120)), 500);
        // THEN
        assertThat(d.reported()).isEqualTo(Map.of("led", false, "level", 40L, "temp", 20.5));
        assertThat(d.reportedTimestamps()).isEqualTo(Map.of("led", 150L, "level", 100L, "temp", 120L));
        assertThat(d.delta()).isEqualTo(Map.of("led", true));
        assertThat(d.version()).isEqualTo(1);
        // WHEN reported temp is deleted at 200: the report of 120 is hidden, a later one shows again
        StoredShadow deleted = s.apply(reported(map("temp", null)), MODEL, 200);
        assertThat(deleted.view("dev-1", Map.of("temp", value("temp", 20.5, 120)), 500).reported()).doesNotContainKey("temp");
        assertThat(deleted.view("dev-1", Map.of("temp", value("temp", 21.5, 250)), 500).reported()).containsEntry("temp", 21.5);
        // and a delete of the whole shadow hides every older report
        assertThat(s.cleared(300).view("dev-1", Map.of("led", value("led", false, 150)), 500).reported()).isEmpty();
        assertThat(StoredShadow.same(1, 1.0)).isTrue();
        assertThat(StoredShadow.same(Map.of("a", List.of(1L, "x")), Map.of("a", List.of(1, "x")))).isTrue();
        assertThat(StoredShadow.same(Map.of("a", 1), Map.of("a", 2))).isFalse();
    }

    @Test
    void theStoredFormReadsBackTheSame() {
        // Verifies the JSON round trip of every part of a stored shadow.
        StoredShadow s = StoredShadow.EMPTY.apply(new ShadowUpdate(map("led", true), false, map("temp", 20, "level", 3), false,
                null, null), MODEL, 100).apply(reported(map("level", null)), MODEL, 200);
        StoredShadow back = StoredShadow.fromJson(s.toJson(), s.version());
        assertThat(back.toJson()).isEqualTo(s.toJson());
        assertThat(back.version()).isEqualTo(s.version());
        assertThat(back.tombstones()).isEqualTo(Map.of("level", 200L));
    }
}
