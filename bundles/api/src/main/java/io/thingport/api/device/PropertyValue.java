package io.thingport.api.device;

import java.time.Instant;

/**
 * One stored property value.
 *
 * @param value the canonical value (see {@link io.thingport.api.model.DataType#normalize})
 * @param json  the same value as JSON text
 */
public record PropertyValue(String deviceId, String property, Object value, String json, Instant timestamp) {
}
