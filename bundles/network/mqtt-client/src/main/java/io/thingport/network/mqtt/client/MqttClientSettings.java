package io.thingport.network.mqtt.client;

import io.thingport.api.Secrets;
import io.thingport.api.ThingportException;
import io.thingport.api.TopicFilters;
import io.thingport.api.network.NetworkComponentConfig;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The MQTT client's configuration keys, checked. Besides the {@link NetworkComponentConfig#COMMON_KEYS} ({@code
 * certificate} is the client certificate for mutual TLS, {@code trust} the CA that the broker's certificate must chain
 * to):
 *
 * @param remoteHost         the broker's host name or address ({@code remoteHost}, required)
 * @param remotePort         the broker's port ({@code remotePort}, default 1883, or 8883 with TLS)
 * @param clientId           the MQTT client id presented to the broker ({@code clientId}, default
 *                           {@code thingport-<component id>}); it names the broker session, so two components must
 *                           not share it
 * @param username           the user name presented to the broker ({@code username}, default none)
 * @param password           the password presented to the broker ({@code password}, default none; needs
 *                           {@code username})
 * @param topics             the topic filters subscribed to ({@code topics}, comma-separated, default {@link #DEFAULT_TOPICS})
 * @param subscriptionPrefix prepended to every filter when subscribing ({@code subscriptionPrefix}, default empty),
 *                           e.g. {@code $share/group/} (MQTT 5 / mosquitto / EMQX shared subscription) or
 *                           {@code $queue/}; must end with {@code /}. Topics of received messages never carry it.
 * @param deviceTopic        a regular expression with the named groups {@code productId} and {@code deviceId}, matched
 *                           against the whole topic of each message ({@code deviceTopic}, default
 *                           {@code ^/(?<productId>[^/]+)/(?<deviceId>[^/]+)(/.*)?$}); a message whose topic does not
 *                           match is logged and skipped
 * @param qos                QoS of the subscriptions and of downlink publishes ({@code qos}, 0 or 1, default 1)
 * @param maxMessageLength   largest payload handed to the platform, in bytes ({@code maxMessageLength}, default
 *                           262144); a larger message is logged and skipped (acknowledged)
 * @param keepAlive          MQTT keep-alive towards the broker in seconds ({@code keepAlive}, default 60, 0 = off)
 * @param connectTimeout     seconds allowed for connecting to the broker ({@code connectTimeout}, default 10)
 * @param reconnectDelay     seconds between connection attempts after a failure or a lost connection
 *                           ({@code reconnectDelay}, default 5); attempts go on forever
 * @param idleTimeout        seconds without a message after which a device is reported disconnected
 *                           ({@code idleTimeout}, default 300, 0 = never)
 * @param tls                whether the broker is reached over TLS ({@code tls}, default {@code false}, or
 *                           {@code true} when {@code certificate} is set); trust is {@code trust} /
 *                           {@link NetworkComponentConfig#trusted()} when given, else the JVM's default trust store;
 *                           the broker's host name is verified against its certificate
 * @param cleanSession       whether the broker session starts empty on each connection ({@code cleanSession}, default
 *                           {@code false}: the session persists, so the broker keeps messages published while the
 *                           component is disconnected and resends unacknowledged QoS 1 messages after a reconnect)
 */
record MqttClientSettings(String remoteHost, int remotePort, String clientId, String username, String password,
                          List<String> topics, String subscriptionPrefix, Pattern deviceTopic, int qos,
                          int maxMessageLength, int keepAlive, int connectTimeout, int reconnectDelay, int idleTimeout,
                          boolean tls, boolean cleanSession) {

    static final String TYPE = "mqtt-client";
    /**
     * The official protocol's uplink topics: what devices publish. Not {@code /+/+/#}, which would also take in the
     * platform's own downlinks and {@code /error} replies from the broker.
     */
    static final String DEFAULT_TOPICS = "/+/+/properties/report,/+/+/properties/read/reply,/+/+/properties/write/reply,"
            + "/+/+/function/invoke/reply,/+/+/event/+,/+/+/direct";
    static final String DEFAULT_DEVICE_TOPIC = "^/(?<productId>[^/]+)/(?<deviceId>[^/]+)(/.*)?$";

    /** Keys this type reads besides {@link NetworkComponentConfig#COMMON_KEYS}. */
    static final Set<String> KEYS = Set.of("remoteHost", "remotePort", "clientId", "username", "password", "topics",
            "subscriptionPrefix", "deviceTopic", "qos", "maxMessageLength", "keepAlive", "connectTimeout",
            "reconnectDelay", "idleTimeout", "tls", "cleanSession");

    MqttClientSettings {
        topics = List.copyOf(topics);
    }

    static MqttClientSettings from(NetworkComponentConfig c) {
        c.checkKeys(TYPE, KEYS);
        String remoteHost = c.string("remoteHost", null);
        if (remoteHost == null) {
            throw invalid(c, "remoteHost is required (the host name or address of the MQTT broker to read devices from)");
        }
        if (remoteHost.contains("/") || remoteHost.contains(" ")) {
            throw invalid(c, "remoteHost '" + remoteHost + "' must be a host name or address, not a URL");
        }
        boolean tls = c.bool("tls", c.tls());
        if (!tls && c.tls()) {
            throw invalid(c, "certificate " + c.certificate().name() + " is set but tls is false: set tls = true (the "
                    + "certificate is then this client's certificate for mutual TLS) or remove certificate");
        }
        int remotePort = c.integer("remotePort", tls ? 8883 : 1883, 1, 65535);
        String clientId = c.string("clientId", "thingport-" + c.id());
        String username = c.string("username", null);
        String password = c.properties().get("password");
        if (password != null && password.isEmpty()) {
            password = null;
        }
        if (password != null && username == null) {
            throw invalid(c, "password is set without username (MQTT sends a password only with a user name)");
        }
        List<String> topics = topics(c);
        String prefix = c.string("subscriptionPrefix", "");
        if (!prefix.isEmpty()) {
            if (!prefix.endsWith("/")) {
                throw invalid(c, "subscriptionPrefix '" + prefix + "' must end with '/' (e.g. $share/group/ or $queue/)");
            }
            if (prefix.contains("+") || prefix.contains("#")) {
                throw invalid(c, "subscriptionPrefix '" + prefix + "' must not contain the wildcards + or #");
            }
            if (prefix.equals("$share/") || prefix.startsWith("$share//")) {
                throw invalid(c, "subscriptionPrefix '" + prefix + "' lacks the share name (e.g. $share/group/)");
            }
        }
        String regex = c.string("deviceTopic", DEFAULT_DEVICE_TOPIC);
        Pattern deviceTopic;
        try {
            deviceTopic = Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw invalid(c, "deviceTopic '" + regex + "' is not a regular expression: " + e.getDescription());
        }
        if (!regex.contains("(?<productId>") || !regex.contains("(?<deviceId>")) {
            throw invalid(c, "deviceTopic '" + regex + "' must have the named groups (?<productId>...) and (?<deviceId>...)");
        }
        return new MqttClientSettings(remoteHost, remotePort, clientId, username, password, topics, prefix, deviceTopic,
                c.integer("qos", 1, 0, 1), c.integer("maxMessageLength", 262_144, 1, 268_435_455),
                c.integer("keepAlive", 60, 0, 65_535), c.integer("connectTimeout", 10, 1, 3600),
                c.integer("reconnectDelay", 5, 1, 3600), c.integer("idleTimeout", 300, 0, 30 * 86_400), tls,
                c.bool("cleanSession", false));
    }

    private static List<String> topics(NetworkComponentConfig c) {
        Set<String> out = new LinkedHashSet<>();
        for (String part : c.string("topics", DEFAULT_TOPICS).split(",")) {
            String filter = part.trim();
            if (filter.isEmpty()) {
                continue;
            }
            if (!TopicFilters.isValid(filter)) {
                throw invalid(c, "topics: '" + filter + "' is not a valid MQTT topic filter");
            }
            out.add(filter);
        }
        if (out.isEmpty()) {
            throw invalid(c, "topics has no topic filter");
        }
        return new ArrayList<>(out);
    }

    private static ThingportException invalid(NetworkComponentConfig c, String problem) {
        return ThingportException.invalidArgument("network component " + c.id() + ": " + problem);
    }

    /** The broker URI Paho connects to. */
    String serverUri() {
        String host = remoteHost.contains(":") && !remoteHost.startsWith("[") ? "[" + remoteHost + "]" : remoteHost;
        return (tls ? "ssl://" : "tcp://") + host + ":" + remotePort;
    }

    /** The filters as subscribed: {@link #subscriptionPrefix} + each topic filter. */
    List<String> filters() {
        return topics.stream().map(t -> subscriptionPrefix + t).toList();
    }

    @Override
    public String toString() {
        return "MqttClientSettings[" + serverUri() + ", clientId=" + clientId + ", username=" + username
                + ", password=" + (password == null ? "none" : Secrets.mask(password)) + ", filters=" + filters() + ", deviceTopic="
                + deviceTopic + ", qos=" + qos + "]";
    }
}
