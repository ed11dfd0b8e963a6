package io.thingport.api.device;

import java.util.List;

/**
 * One page of alarms, newest first.
 *
 * @param next the {@link AlarmQuery#beforeId()} of the next page, or {@code null} when this is the last one
 */
public record AlarmPage(List<DeviceAlarm> alarms, Long next) {
    public AlarmPage {
        alarms = List.copyOf(alarms);
    }
}
