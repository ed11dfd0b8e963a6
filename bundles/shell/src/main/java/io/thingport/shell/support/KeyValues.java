package io.thingport.shell.support;

import io.thingport.api.ThingportException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code key=value} command arguments. */
public final class KeyValues {
    private KeyValues() {
    }

    /** Parses {@code key=value} pairs in order; a repeated key or a pair without {@code =} is an error. */
    public static Map<String, String> parse(List<String> pairs) {
        Map<String, String> out = new LinkedHashMap<>();
        if (pairs == null) {
            return out;
        }
        for (String pair : pairs) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw ThingportException.invalidArgument("'" + pair + "' is not key=value");
            }
            String key = pair.substring(0, eq).trim();
            if (out.put(key, pair.substring(eq + 1).trim()) != null) {
                throw ThingportException.invalidArgument("key " + key + " is given twice");
            }
        }
        return out;
    }
}
