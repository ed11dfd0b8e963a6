package io.thingport.api.shadow;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A device's shadow as applications and the device see it.
 *
 * <p>The top-level keys of {@code desired} and {@code reported} are thing-model property identifiers; a property's value
 * is replaced whole (an {@code object} property is not merged member by member). {@code reported} holds what the
 * device reported through the shadow and, newer or not, its ordinary property reports: of the two, the later value of
 * each property counts. The {@code version} counts the changes made through the shadow (updates and deletes), not the
 * property reports.
 *
 * @param desired            what the device should apply; never null
 * @param reported           the device's last reported values; never null
 * @param delta              the desired keys whose value differs from the reported one; never null
 * @param desiredTimestamps  epoch milliseconds each desired key was set
 * @param reportedTimestamps epoch milliseconds each reported value was reported (the device's time when it gave one)
 * @param version            0 before the first update, then one more per update or delete
 * @param timestamp          epoch milliseconds of this answer
 */
public record ShadowDocument(String deviceId, Map<String, Object> desired, Map<String, Object> reported, Map<String, Object> delta,
                             Map<String, Long> desiredTimestamps, Map<String, Long> reportedTimestamps, long version, long timestamp) {
    public ShadowDocument {
        desired = frozen(desired);
        reported = frozen(reported);
        delta = frozen(delta);
        desiredTimestamps = frozen(desiredTimestamps);
        reportedTimestamps = frozen(reportedTimestamps);
    }

    private static <V> Map<String, V> frozen(Map<String, V> map) {
        return map == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }

    /**
     * The AWS form of the whole document: {@code {"state":{"desired","reported","delta"},"metadata":{"desired":{k:
     * {"timestamp"}},"reported":...},"version","timestamp","clientToken"}}; empty sections and a null token left out.
     */
    public Map<String, Object> body(String clientToken) {
        Map<String, Object> state = new LinkedHashMap<>();
        putIfAny(state, "desired", desired);
        putIfAny(state, "reported", reported);
        putIfAny(state, "delta", delta);
        Map<String, Object> metadata = new LinkedHashMap<>();
        putIfAny(metadata, "desired", metadata(desiredTimestamps, desiredTimestamps.keySet()));
        putIfAny(metadata, "reported", metadata(reportedTimestamps, reportedTimestamps.keySet()));
        return envelope(state, metadata, clientToken);
    }

    /**
     * The AWS form of the delta alone, as pushed to the device: {@code {"state":{delta},"metadata":{k:{"timestamp"}},
     * "version","timestamp"}}.
     */
    public Map<String, Object> deltaBody() {
        return envelope(delta, metadata(desiredTimestamps, delta.keySet()), null);
    }

    private Map<String, Object> envelope(Map<String, Object> state, Map<String, Object> metadata, String clientToken) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("state", state);
        out.put("metadata", metadata);
        out.put("version", version);
        out.put("timestamp", timestamp);
        if (clientToken != null) {
            out.put("clientToken", clientToken);
        }
        return out;
    }

    private static Map<String, Object> metadata(Map<String, Long> timestamps, Iterable<String> keys) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String k : keys) {
            Long ts = timestamps.get(k);
            if (ts != null) {
                out.put(k, Map.of("timestamp", ts));
            }
        }
        return out;
    }

    private static void putIfAny(Map<String, Object> out, String key, Map<String, ?> section) {
        if (!section.isEmpty()) {
            out.put(key, section);
        }
    }
}
