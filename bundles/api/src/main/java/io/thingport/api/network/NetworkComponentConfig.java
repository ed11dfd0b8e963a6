package io.thingport.api.network;

import io.thingport.api.Secrets;
import io.thingport.api.ThingportException;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The configuration of one network component instance, as the operator wrote it (an {@code etc/} file or a shell
 * command). Typed getters check each value and name the key in their errors.
 *
 * <p>The platform reads the {@link #COMMON_KEYS} itself and resolves the managed certificates they name: a
 * provider reads {@link #certificate()} and {@link #trusted()} instead of the {@code certificate} and {@code trust}
 * keys, and checks its own keys with {@link #checkKeys(String, Set)}.
 *
 * <p>The values of the {@link #SECRET_KEYS} are shown only masked: in {@link NetworkComponentInfo} (what the shell's
 * {@code iot:network-info} prints), in {@link #toString()} and in the errors of the typed getters.
 *
 * @param id          the instance's name (the configuration's name, e.g. {@code mqtt} for
 *                    {@code etc/io.thingport.network-mqtt.cfg})
 * @param type        the {@link NetworkComponentProvider#type()} that runs it
 * @param properties  all keys as strings
 * @param certificate the managed certificate and private key named by {@code certificate} (TLS/DTLS is on when
 *                    present), or {@code null}
 * @param trusted     the certificates trusted to verify peers (device client certificates for a server, the broker
 *                    for a client): the certificate and chain named by {@code trust}, else the CA chain of
 *                    {@code certificate}; empty when neither gives any
 */
public record NetworkComponentConfig(String id, String type, Map<String, String> properties, TlsMaterial certificate,
                                     List<X509Certificate> trusted) {

    /** Keys every network component has; the platform reads them, providers only accept them. */
    public static final Set<String> COMMON_KEYS = Set.of("name", "type", "description", "enabled", "scope", "node",
            "publicHost", "publicPort", "certificate", "trust");

    /**
     * The keys whose values are secret, of every type: the MQTT client's broker {@code password}, the DTLS
     * pre-shared key {@code pskKey} of {@code udp} and {@code coap-server}, and the cloud bridges' credentials
     * ({@code pushToken}, {@code appSecret}, {@code masterKey} of {@code ctwing}; {@code token}, {@code aesKey},
     * {@code accessKey} of {@code onenet}). Their values are never shown, logged or put
     * into an error whole (see {@link Secrets#mask}); only the component's {@code etc/} file holds them. This is the
     * one list: it is known here, not by the providers, because the platform must mask a configuration whose type is
     * not installed too. A type with a new secret key adds it here.
     */
    public static final Set<String> SECRET_KEYS = Set.of("password", "pskKey", "pushToken", "appSecret", "masterKey", "token",
            "aesKey", "accessKey");

    public NetworkComponentConfig {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        properties = Map.copyOf(properties);
        trusted = trusted == null ? List.of() : List.copyOf(trusted);
    }

    /** A configuration without certificates. */
    public NetworkComponentConfig(String id, String type, Map<String, String> properties) {
        this(id, type, properties, null, List.of());
    }

    /** Whether TLS (DTLS for datagram transports) is on: a certificate is configured. */
    public boolean tls() {
        return certificate != null;
    }

    public Optional<TlsMaterial> tlsMaterial() {
        return Optional.ofNullable(certificate);
    }

    /**
     * Refuses keys that are neither common nor in {@code typeKeys}, naming the key and the ones the type knows.
     *
     * @throws ThingportException {@code INVALID_ARGUMENT}
     */
    public void checkKeys(String typeName, Set<String> typeKeys) {
        for (String key : properties.keySet()) {
            if (!COMMON_KEYS.contains(key) && !typeKeys.contains(key)) {
                throw ThingportException.invalidArgument("network component " + id + ": unknown key '" + key + "' (a "
                        + typeName + " knows " + new TreeSet<>(typeKeys) + " and the common keys " + new TreeSet<>(COMMON_KEYS) + ")");
            }
        }
    }

    public String string(String key, String defaultValue) {
        String v = properties.get(key);
        return v == null || v.isBlank() ? defaultValue : v.trim();
    }

    /** A string that must be one of {@code allowed} (case-insensitive), returned in lower case. */
    public String choice(String key, String defaultValue, Set<String> allowed) {
        String v = string(key, defaultValue).toLowerCase(Locale.ROOT);
        if (!allowed.contains(v)) {
            throw ThingportException.invalidArgument("network component " + id + ": " + key + " '" + shown(key, v)
                    + "' is not one of " + new TreeSet<>(allowed));
        }
        return v;
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
            throw ThingportException.invalidArgument("network component " + id + ": " + key + " '" + shown(key, v)
                    + "' is not a whole number");
        }
        if (value < min || value > max) {
            throw ThingportException.invalidArgument("network component " + id + ": " + key + " "
                    + shown(key, String.valueOf(value)) + " is out of range " + min + ".." + max);
        }
        return value;
    }

    public boolean bool(String key, boolean defaultValue) {
        String v = properties.get(key);
        if (v == null || v.isBlank()) {
            return defaultValue;
        }
        return switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw ThingportException.invalidArgument("network component " + id + ": " + key + " '" + shown(key, v)
                    + "' is not true or false");
        };
    }

    /** The properties in key order, for display. They include the secret values: show {@link #masked(Map)}. */
    public Map<String, String> sorted() {
        return new TreeMap<>(properties);
    }

    /** Whether {@code key}'s value is secret: one of the {@link #SECRET_KEYS}. */
    public static boolean isSecret(String key) {
        return key != null && SECRET_KEYS.contains(key.trim());
    }

    /**
     * Configuration keys and values as they may be shown: in key order, the values of the {@link #SECRET_KEYS}
     * masked with {@link Secrets#mask}. Unmodifiable.
     */
    public static Map<String, String> masked(Map<String, String> properties) {
        Map<String, String> out = new TreeMap<>();
        properties.forEach((k, v) -> out.put(k, shown(k, v)));
        return Collections.unmodifiableMap(out);
    }

    private static String shown(String key, String value) {
        return isSecret(key) ? Secrets.mask(value) : value;
    }

    /** The id, type, keys with the secret values masked, and the names of the certificates (never a private key). */
    @Override
    public String toString() {
        return "NetworkComponentConfig[id=" + id + ", type=" + type + ", properties=" + masked(properties) + ", certificate="
                + (certificate == null ? "none" : certificate.name()) + ", trusted=" + trusted.size() + " certificate(s)]";
    }
}
