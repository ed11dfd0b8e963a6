package io.thingport.core.internal.rules;

import io.thingport.api.ThingportException;
import io.thingport.api.rule.DataSourceInfo;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A named connection for actions, checked: {@code jdbc} (url {@code jdbc:postgresql://}, {@code jdbc:mariadb://} or
 * {@code jdbc:mysql://}, user, password), {@code kafka} (brokers {@code host:port,...}), {@code http} (secret, the HMAC key of
 * webhook signatures), {@code mqtt} (url {@code tcp://} or {@code ssl://}, user, password). Secrets never leave it unmasked
 * except to the action that connects.
 */
public record DataSourceSpec(String name, String type, Map<String, String> settings, long createdAt) {
    static final Set<String> SECRETS = Set.of("password", "secret");
    static final String MASK = "******";
    private static final Map<String, List<String>> KEYS = Map.of("jdbc", List.of("url", "user", "password"),
            "kafka", List.of("brokers"), "http", List.of("secret"), "mqtt", List.of("url", "user", "password"));

    public DataSourceSpec {
        settings = Collections.unmodifiableMap(new TreeMap<>(settings));
    }

    /** Checks a new data source; the error names the setting. */
    public static DataSourceSpec check(String name, String type, Map<String, String> settings, long now) {
        if (name == null || !name.matches("[A-Za-z0-9_-]{1,64}")) {
            throw ThingportException.invalidArgument("data source name '" + name + "' must be 1 to 64 letters, digits, _ or -");
        }
        List<String> keys = KEYS.get(type);
        if (keys == null) {
            throw ThingportException.invalidArgument("data source type '" + type + "' is not one of jdbc, kafka, http, mqtt");
        }
        Map<String, String> s = new LinkedHashMap<>(settings == null ? Map.of() : settings);
        for (String key : s.keySet()) {
            if (!keys.contains(key)) {
                throw ThingportException.invalidArgument("data source " + name + ": unknown setting " + key + " for type " + type
                        + " (known: " + String.join(", ", keys) + ")");
            }
            if (s.get(key) == null || s.get(key).length() > 2000) {
                throw ThingportException.invalidArgument("data source " + name + ": setting " + key
                        + " must have a value of at most 2000 characters");
            }
        }
        switch (type) {
            case "jdbc" -> {
                String url = required(name, s, "url");
                if (!(url.startsWith("jdbc:postgresql://") || url.startsWith("jdbc:mariadb://") || url.startsWith("jdbc:mysql://"))) {
                    throw ThingportException.invalidArgument("data source " + name
                            + ": url must start with jdbc:postgresql://, jdbc:mariadb:// or jdbc:mysql://");
                }
            }
            case "kafka" -> {
                for (String broker : required(name, s, "brokers").split(",")) {
                    if (!broker.trim().matches("[A-Za-z0-9.\\-\\[\\]:]+:[0-9]{1,5}")) {
                        throw ThingportException.invalidArgument("data source " + name + ": broker '" + broker + "' is not host:port");
                    }
                }
            }
            case "http" -> {
                if (required(name, s, "secret").length() < 16) {
                    throw ThingportException.invalidArgument("data source " + name + ": secret must have at least 16 characters");
                }
            }
            default -> {
                for (String key : List.of("user", "password")) {
                    if (s.get(key) != null && (s.get(key).contains(")") || s.get(key).contains("("))) {
                        throw ThingportException.invalidArgument("data source " + name + ": setting " + key + " must not contain ( or )");
                    }
                }
                String url = required(name, s, "url");
                if (!url.matches("(tcp|ssl)://[A-Za-z0-9.\\-\\[\\]:]+:[0-9]{1,5}")) {
                    throw ThingportException.invalidArgument("data source " + name + ": url must be tcp://host:port or ssl://host:port");
                }
            }
        }
        return new DataSourceSpec(name, type, s, now);
    }

    private static String required(String name, Map<String, String> s, String key) {
        String v = s.get(key);
        if (v == null || v.isBlank()) {
            throw ThingportException.invalidArgument("data source " + name + ": setting " + key + " is required");
        }
        return v.trim();
    }

    public String setting(String key) {
        return settings.get(key);
    }

    /** As shown to operators: the secrets masked. */
    public DataSourceInfo info(List<String> usedBy) {
        Map<String, String> shown = new TreeMap<>(settings);
        shown.replaceAll((k, v) -> SECRETS.contains(k) ? MASK : v);
        return new DataSourceInfo(name, type, shown, createdAt, usedBy);
    }

    @Override
    public String toString() {
        return "DataSourceSpec[" + info(List.of()) + "]";
    }
}
