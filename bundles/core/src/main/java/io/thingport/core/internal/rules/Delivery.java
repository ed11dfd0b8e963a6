package io.thingport.core.internal.rules;

import java.util.Map;

/**
 * One row on its way to one action. {@code failedId} is set when the row is replayed from the failed-message store (it
 * leaves the store when the action accepts it); {@code attempts} counts what earlier deliveries tried.
 */
public record Delivery(String deviceId, Map<String, Object> row, Long failedId, int attempts) {
    public Delivery(String deviceId, Map<String, Object> row) {
        this(deviceId, row, null, 0);
    }
}
