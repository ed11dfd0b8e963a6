package io.thingport.network.mqtt.server;

import io.thingport.api.TopicFilters;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;

/**
 * The topic filters one MQTT connection has subscribed to. Changed on the connection's event loop (SUBSCRIBE,
 * UNSUBSCRIBE) and read from any thread when the platform sends a downlink, hence the copy-on-write set: a reader
 * sees either the set before a change or the set after it.
 */
final class Subscriptions {
    private final Set<String> filters = new CopyOnWriteArraySet<>();

    /** Adds a filter (already validated and allowed); adding it again changes nothing. */
    void add(String filter) {
        filters.add(filter);
    }

    /** Removes a filter, matched as written (not by what it matches); {@code true} if it was subscribed. */
    boolean remove(String filter) {
        return filters.remove(filter);
    }

    /** Whether any subscribed filter matches the topic name. */
    boolean matches(String topic) {
        return filters.stream().anyMatch(f -> TopicFilters.matches(f, topic));
    }
}
