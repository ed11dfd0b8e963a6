package io.thingport.api.shadow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ShadowUpdateTest {
    private static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void readsSectionsNullDeletesAndClears() {
        // Verifies the AWS request form: set and deleted keys, a cleared section, token, version; header members ignored.
        // GIVEN an update setting led, deleting level, clearing reported
        Map<String, Object> body = map("messageId", "m1", "timestamp", 1L, "clientToken", "t1", "version", 4,
                "state", map("desired", map("led", true, "level", null), "reported", null));
        // WHEN
        ShadowUpdate u = ShadowUpdate.parse(body);
        // THEN
        assertThat(u.desired()).containsEntry("led", true).containsEntry("level", null).hasSize(2);
        assertThat(u.clearDesired()).isFalse();
        assertThat(u.clearReported()).isTrue();
        assertThat(u.reported()).isEmpty();
        assertThat(u.clientToken()).isEqualTo("t1");
        assertThat(u.version()).isEqualTo(4L);
        assertThat(u.touchesDesired()).isTrue();
        assertThat(ShadowUpdate.parse(map("state", map("reported", map("temp", 1)))).touchesDesired()).isFalse();
    }

    @Test
    void refusesEachMalformedRequestNamingTheMember() {
        // Verifies the refusals: every one is INVALID_ARGUMENT and names what is wrong.
        Map<Map<String, Object>, String> bad = new HashMap<>();
        bad.put(map(), "state is required");
        bad.put(map("state", "x"), "state is required");
        bad.put(map("state", map()), "state must have desired or reported");
        bad.put(map("state", map("wanted", map())), "unknown member state.wanted");
        bad.put(map("state", map("desired", List.of(1))), "state.desired must be an object or null");
        bad.put(map("state", map("desired", map()), "colour", "red"), "unknown member colour");
        bad.put(map("state", map("desired", map()), "version", -1), "version must be a whole number");
        bad.put(map("state", map("desired", map()), "version", 1.5), "version must be a whole number");
        bad.put(map("state", map("desired", map()), "clientToken", 7), "clientToken must be a string");
        bad.put(map("state", map("desired", map()), "clientToken", "x".repeat(65)), "clientToken must be a string of at most 64");
        Map<String, Object> many = new LinkedHashMap<>();
        for (int i = 0; i <= ShadowUpdate.MAX_KEYS; i++) {
            many.put("k" + i, i);
        }
        bad.put(map("state", map("desired", many)), "names more than 256 keys");
        bad.forEach((body, message) -> assertThatThrownBy(() -> ShadowUpdate.parse(body)).as("%s", body)
                .isInstanceOf(ThingportException.class).hasMessageContaining(message)
                .extracting(e -> ((ThingportException) e).code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
    }

    @Test
    void theDocumentsAwsForms() {
        // Verifies the document and delta bodies: sections with their metadata, empty ones left out, the token echoed.
        // GIVEN a shadow whose desired led differs from the reported one
        ShadowDocument d = new ShadowDocument("dev-1", Map.of("led", true), Map.of("led", false, "temp", 20.5), Map.of("led", true),
                Map.of("led", 100L), Map.of("led", 90L, "temp", 95L), 3, 200);
        // WHEN / THEN
        assertThat(d.body("t")).isEqualTo(Map.of("state", Map.of("desired", Map.of("led", true), "reported",
                Map.of("led", false, "temp", 20.5), "delta", Map.of("led", true)), "metadata", Map.of("desired",
                Map.of("led", Map.of("timestamp", 100L)), "reported", Map.of("led", Map.of("timestamp", 90L), "temp",
                Map.of("timestamp", 95L))), "version", 3L, "timestamp", 200L, "clientToken", "t"));
        assertThat(d.deltaBody()).isEqualTo(Map.of("state", Map.of("led", true), "metadata", Map.of("led", Map.of("timestamp", 100L)),
                "version", 3L, "timestamp", 200L));
        ShadowDocument empty = new ShadowDocument("dev-1", null, null, null, null, null, 0, 1);
        assertThat(empty.body(null)).isEqualTo(Map.of("state", Map.of(), "metadata", Map.of(), "version", 0L, "timestamp", 1L));
    }
}
