package io.thingport.api.network;

import io.thingport.api.ThingportException;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The configuration of one network component instance, as the operator wrote it (an {@code etc/} file or a shell
 * command). Typed getters check each value and name the key in their errors.
 *
 * @param id         the instance's name (the configuration's name, e.g. {@code mqtt} for
 *                   {@code etc/io.thingport.network-mqtt.cfg})
 * @param type       the {@link NetworkComponentProvider#type()} that runs it
 * @param properties all keys as strings
 */
public record NetworkComponentConfig(String id, String type, Map<String, String> properties) {
    public NetworkComponentConfig {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        properties = Map.copyOf(properties);
    }

    public String string(String key, String defaultValue) {
        String v = properties.get(key);
        return v == null || v.isBlank() ? defaultValue : v.trim();
    }

    public int integer(String key, int defaultValue, int min, int max) {
        String v = properties.get(key);
        if (v == null || v.isBlank()) {
            return defaultValue;
        }
        int value;
        try {
            value = Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw ThingportException.invalidArgument("network component " + id + ": " + key + " '" + v + "' is not a whole number");
        }
        if (value < min || value > max) {
            throw ThingportException.invalidArgument("network component " + id + ": " + key + " " + value
                    + " is out of range " + min + ".." + max);
        }
        return value;
    }

    public boolean bool(String key, boolean defaultValue) {
        String v = properties.get(key);
        if (v == null || v.isBlank()) {
            return defaultValue;
        }
        return switch (v.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw ThingportException.invalidArgument("network component " + id + ": " + key + " '" + v
                    + "' is not true or false");
        };
    }

    /** The properties in key order, for display. */
    public Map<String, String> sorted() {
        return new TreeMap<>(properties);
    }
}
