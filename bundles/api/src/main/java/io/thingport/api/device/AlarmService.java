package io.thingport.api.device;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Device alarms and faults: recorded by the platform when it stores a report that raises or clears one (in the same
 * transaction as the report, so a resent report records nothing twice), published on the event topic as
 * {@code /device/{productId}/{deviceId}/event/$alarm} (rules: {@code $events/device/alarm}), listed and acknowledged
 * by operators. Kept within their retention ({@code alarms.*} in {@code io.thingport.storage}).
 */
@ProviderType
public interface AlarmService {
    /** The event id of alarm transitions on the event topic ({@code /device/{productId}/{deviceId}/event/$alarm}). */
    String EVENT_ID = "$alarm";

    /**
     * A page of alarms, newest first.
     *
     * @throws io.thingport.api.ThingportException {@code INVALID_ARGUMENT} for a limit out of range or a time range
     *                                             that ends before it starts
     */
    AlarmPage listAlarms(AlarmQuery query);

    /** @throws io.thingport.api.ThingportException {@code NOT_FOUND} */
    DeviceAlarm getAlarm(long alarmId);

    /**
     * Records that an operator acknowledged an alarm (active or cleared).
     *
     * @param by who acknowledged it (the shell user or the API application)
     * @throws io.thingport.api.ThingportException {@code NOT_FOUND}; {@code CONFLICT} when it was acknowledged before
     */
    DeviceAlarm acknowledge(long alarmId, String by);
}
