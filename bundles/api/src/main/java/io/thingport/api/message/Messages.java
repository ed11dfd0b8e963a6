package io.thingport.api.message;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Small helpers shared by the message records. */
final class Messages {
    private Messages() {
    }

    /** An unmodifiable copy that keeps the order and, unlike {@code Map.copyOf}, allows null values (JSON null). */
    static Map<String, Object> copy(Map<String, ?> map) {
        return map == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }
}
