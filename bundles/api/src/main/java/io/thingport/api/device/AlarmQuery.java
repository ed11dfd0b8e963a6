package io.thingport.api.device;

import java.time.Instant;

/**
 * Which alarms to list, newest first; every criterion may be {@code null} (no restriction).
 *
 * @param deviceId   only this device's
 * @param productId  only those of this product's devices
 * @param activeOnly only those not cleared yet
 * @param from       raised not before this time
 * @param to         raised before this time
 * @param beforeId   only alarms with a smaller id: the cursor of the next page ({@link AlarmPage#next()})
 * @param limit      at most this many (1 to {@link #MAX_LIMIT})
 */
public record AlarmQuery(String deviceId, String productId, boolean activeOnly, Instant from, Instant to, Long beforeId,
                         int limit) {
    public static final int MAX_LIMIT = 1000;
}
