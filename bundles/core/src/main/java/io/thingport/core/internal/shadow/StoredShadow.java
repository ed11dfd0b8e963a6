package io.thingport.core.internal.shadow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.device.PropertyValue;
import io.thingport.api.model.ThingModel;
import io.thingport.api.shadow.ShadowDocument;
import io.thingport.api.shadow.ShadowService;
import io.thingport.api.shadow.ShadowUpdate;
import io.thingport.core.internal.json.Json;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A shadow as stored: the desired and reported keys with the time each was set, the times reported keys were deleted
 * ({@code tombstones}, and {@code clearedAt} for the whole section), a version and the time of the last change. Every
 * decision about shadows is a pure function here: applying an update, the view with the property store's values merged
 * in, the delta, the size bound.
 */
record StoredShadow(Map<String, Object> desired, Map<String, Long> desiredAt, Map<String, Object> reported,
                    Map<String, Long> reportedAt, Map<String, Long> tombstones, long clearedAt, long version, long updatedAt) {

    static final StoredShadow EMPTY = new StoredShadow(Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), 0, 0, 0);

    StoredShadow {
        desired = sorted(desired);
        desiredAt = sorted(desiredAt);
        reported = sorted(reported);
        reportedAt = sorted(reportedAt);
        tombstones = sorted(tombstones);
    }

    private static <V> Map<String, V> sorted(Map<String, V> map) {
        return Collections.unmodifiableMap(new TreeMap<>(map));
    }

    /**
     * The shadow after an update made at {@code now}: desired values checked as writes of the thing model, reported
     * values as reports; the version one more.
     *
     * @throws ThingportException {@code CONFLICT} when the update names another version; what the thing model throws;
     *                            {@code TOO_LARGE} past {@link ShadowService#MAX_STATE_BYTES}
     */
    StoredShadow apply(ShadowUpdate update, ThingModel model, long now) {
        if (update.version() != null && update.version() != version) {
            throw new ThingportException(ErrorCode.CONFLICT, "version " + update.version() + " is not the shadow's current version "
                    + version);
        }
        Map<String, Object> newDesired = new TreeMap<>(update.clearDesired() ? Map.of() : desired);
        Map<String, Long> newDesiredAt = new TreeMap<>(update.clearDesired() ? Map.of() : desiredAt);
        merge(update.desired(), setValues(update.desired()).isEmpty() ? Map.of() : model.checkWrite(setValues(update.desired())),
                newDesired, newDesiredAt, null, now);
        Map<String, Object> newReported = new TreeMap<>(update.clearReported() ? Map.of() : reported);
        Map<String, Long> newReportedAt = new TreeMap<>(update.clearReported() ? Map.of() : reportedAt);
        Map<String, Long> newTombstones = new TreeMap<>(update.clearReported() ? Map.of() : tombstones);
        merge(update.reported(), setValues(update.reported()).isEmpty() ? Map.of() : model.checkReported(setValues(update.reported())),
                newReported, newReportedAt, newTombstones, now);
        // a tombstone hides older reports of a property: keys that are not properties have none (and would grow the row)
        newTombstones.keySet().removeIf(k -> model.property(k).isEmpty());
        StoredShadow next = new StoredShadow(newDesired, newDesiredAt, newReported, newReportedAt, newTombstones,
                update.clearReported() ? now : clearedAt, version + 1, now);
        int size = next.stateBytes();
        if (size > ShadowService.MAX_STATE_BYTES) {
            throw new ThingportException(ErrorCode.TOO_LARGE, "the shadow's state would take " + size + " bytes, more than the "
                    + ShadowService.MAX_STATE_BYTES + " allowed");
        }
        return next;
    }

    /** The shadow emptied at {@code now} (a delete): the version goes on. */
    StoredShadow cleared(long now) {
        return new StoredShadow(Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), now, version + 1, now);
    }

    private static Map<String, Object> setValues(Map<String, Object> section) {
        Map<String, Object> out = new LinkedHashMap<>();
        section.forEach((k, v) -> {
            if (v != null) {
                out.put(k, v);
            }
        });
        return out;
    }

    /** Applies one section: a checked value replaces the key, a null deletes it (and, for reported, leaves a tombstone). */
    private static void merge(Map<String, Object> given, Map<String, Object> checked, Map<String, Object> values,
                              Map<String, Long> times, Map<String, Long> tombstones, long now) {
        for (Map.Entry<String, Object> e : given.entrySet()) {
            String key = e.getKey();
            if (e.getValue() == null) {
                values.remove(key);
                times.remove(key);
                if (tombstones != null) {
                    tombstones.put(key, now);
                }
            } else {
                values.put(key, checked.get(key));
                times.put(key, now);
                if (tombstones != null) {
                    tombstones.remove(key);
                }
            }
        }
    }

    /**
     * The document applications and the device see: the reported state is, per property, the later of the value set
     * through the shadow and the latest stored property value, unless a delete came after both.
     */
    ShadowDocument view(String deviceId, Map<String, PropertyValue> latest, long now) {
        Map<String, Object> effective = new TreeMap<>(reported);
        Map<String, Long> effectiveAt = new TreeMap<>(reportedAt);
        for (PropertyValue p : latest.values()) {
            long ts = p.timestamp().toEpochMilli();
            long deletedAt = Math.max(clearedAt, tombstones.getOrDefault(p.property(), 0L));
            if (ts <= deletedAt || ts < effectiveAt.getOrDefault(p.property(), Long.MIN_VALUE)) {
                continue;
            }
            effective.put(p.property(), p.value());
            effectiveAt.put(p.property(), ts);
        }
        Map<String, Object> delta = new TreeMap<>();
        desired.forEach((k, v) -> {
            if (!effective.containsKey(k) || !same(v, effective.get(k))) {
                delta.put(k, v);
            }
        });
        return new ShadowDocument(deviceId, desired, effective, delta, desiredAt, effectiveAt, version, now);
    }

    /** Whether two values are equal as JSON values (numbers by value: 1, 1L and 1.0 are the same). */
    static boolean same(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return decimal(x).compareTo(decimal(y)) == 0;
        }
        if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
            return x.size() == y.size() && x.entrySet().stream().allMatch(e -> y.containsKey(e.getKey())
                    && same(e.getValue(), y.get(e.getKey())));
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            Iterator<?> i = y.iterator();
            return x.stream().allMatch(v -> same(v, i.next()));
        }
        return Objects.equals(a, b);
    }

    private static BigDecimal decimal(Number n) {
        return n instanceof BigDecimal d ? d : new BigDecimal(n.toString());
    }

    /** The bytes of the state (desired and reported values) as compact JSON: what {@link ShadowService#MAX_STATE_BYTES} bounds. */
    int stateBytes() {
        return Json.write(Map.of("desired", desired, "reported", reported)).getBytes(StandardCharsets.UTF_8).length;
    }

    /** The stored JSON form. */
    String toJson() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("desired", desired);
        out.put("desiredAt", desiredAt);
        out.put("reported", reported);
        out.put("reportedAt", reportedAt);
        out.put("tombstones", tombstones);
        out.put("clearedAt", clearedAt);
        out.put("updatedAt", updatedAt);
        return Json.write(out);
    }

    /** Reads the stored JSON form of the row of that version. */
    @SuppressWarnings("unchecked")
    static StoredShadow fromJson(String json, long version) {
        ObjectNode node = (ObjectNode) Json.parse(json, "the stored shadow");
        return new StoredShadow(Json.MAPPER.convertValue(node.get("desired"), Map.class), longs(node.get("desiredAt")),
                Json.MAPPER.convertValue(node.get("reported"), Map.class), longs(node.get("reportedAt")), longs(node.get("tombstones")),
                node.get("clearedAt").asLong(), version, node.get("updatedAt").asLong());
    }

    private static Map<String, Long> longs(JsonNode node) {
        Map<String, Long> out = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asLong()));
        return out;
    }
}
