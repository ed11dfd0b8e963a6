package io.thingport.api.device;

import io.thingport.api.model.PropertyKind;
import java.time.Instant;
import java.util.Objects;

/**
 * An alarm or fault of a device: raised when a property of kind {@link PropertyKind#ALARM} or {@link PropertyKind#FAULT}
 * becomes active in a stored report (a bool {@code true}, a number other than 0, an enum value other than the first of
 * its type, a string that is not empty), cleared when a later report makes it inactive again.
 *
 * @param id             the alarm's id (increasing)
 * @param property       the thing-model property that raised it
 * @param kind           {@link PropertyKind#ALARM} or {@link PropertyKind#FAULT}
 * @param value          the value that raised it, as JSON
 * @param raisedAt       the timestamp of the report that raised it
 * @param clearedAt      the timestamp of the report that cleared it; {@code null} while it is active
 * @param acknowledgedAt when an operator acknowledged it; {@code null} until then
 * @param acknowledgedBy who acknowledged it; {@code null} until then
 */
public record DeviceAlarm(long id, String deviceId, String productId, String property, PropertyKind kind, String value,
                          Instant raisedAt, Instant clearedAt, Instant acknowledgedAt, String acknowledgedBy) {
    public DeviceAlarm {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(property, "property");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(raisedAt, "raisedAt");
    }

    /** Whether it has not been cleared yet. */
    public boolean active() {
        return clearedAt == null;
    }

    /** Whether an operator acknowledged it. */
    public boolean acknowledged() {
        return acknowledgedAt != null;
    }
}
