package io.thingport.bridge.ctwing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.thingport.bridge.support.PushRejected;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** JSON trees to plain immutable Java values and back to canonical bytes (sorted keys) for dedup keys. */
final class JsonValues {
    /** How deep a payload or event content may nest (objects and arrays); deeper is refused as malformed. */
    static final int MAX_DEPTH = 32;

    private static final ObjectMapper CANONICAL = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private JsonValues() {
    }

    /** A JSON object as an unmodifiable map in wire order; {@code field} names it in errors. */
    static Map<String, Object> toMap(JsonNode object, String field) {
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) toValue(object, field, 0);
        return map;
    }

    private static Object toValue(JsonNode node, String field, int depth) {
        if (node.isContainerNode() && depth >= MAX_DEPTH) {
            throw PushRejected.malformed(field + " nests deeper than " + MAX_DEPTH + " levels");
        }
        if (node.isObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> entry = fields.next();
                map.put(entry.getKey(), toValue(entry.getValue(), field, depth + 1));
            }
            return Collections.unmodifiableMap(map);
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>(node.size());
            for (JsonNode element : node) {
                list.add(toValue(element, field, depth + 1));
            }
            return Collections.unmodifiableList(list);
        }
        if (node.isNull()) {
            return null;
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isNumber()) {
            return node.numberValue();
        }
        return node.asText();
    }

    /** A deep, unmodifiable copy of a map of JSON-like values (null values allowed). */
    static Map<String, Object> immutableCopy(Map<String, ?> map) {
        Map<String, Object> copy = new LinkedHashMap<>();
        map.forEach((key, value) -> copy.put(key, immutableValue(value)));
        return Collections.unmodifiableMap(copy);
    }

    private static Object immutableValue(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((key, element) -> copy.put(String.valueOf(key), immutableValue(element)));
            return Collections.unmodifiableMap(copy);
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            list.forEach(element -> copy.add(immutableValue(element)));
            return Collections.unmodifiableList(copy);
        }
        return value;
    }

    /** The map as JSON with the keys of every object sorted: equal maps give equal bytes whatever their order. */
    static byte[] canonicalBytes(Map<String, ?> map) {
        try {
            return CANONICAL.writeValueAsString(sorted(map)).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON value could not be written: " + e.getOriginalMessage(), e);
        }
    }

    private static Object sorted(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new TreeMap<>();
            map.forEach((key, element) -> copy.put(String.valueOf(key), sorted(element)));
            return copy;
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            list.forEach(element -> copy.add(sorted(element)));
            return copy;
        }
        return value;
    }
}
