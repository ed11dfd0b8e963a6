package io.thingport.rest.internal.events;

import io.thingport.api.device.DeviceLogEntry;
import io.thingport.api.device.DeviceLogService;
import io.thingport.api.device.LogQuery;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What a reconnecting client missed: the stored entries after the last id it received, within the resume window and
 * up to a bound, oldest first, as its filter selects them.
 */
public final class EventReplay {
    /** The entries to send, and whether the bound cut them short (the client missed more than it is sent). */
    public record Missed(List<DeviceLogEntry> entries, boolean cut) {
    }

    private static final int PAGE = 1000;

    private EventReplay() {
    }

    public static Missed after(DeviceLogService logs, EventFilter filter, long lastId, Instant notBefore, int max) {
        List<DeviceLogEntry> out = new ArrayList<>();
        long after = lastId;
        long scanned = 0;
        while (true) {
            List<DeviceLogEntry> page = logs.query(new LogQuery(filter.deviceId(), filter.productId(), null, null,
                    notBefore, null, after, null, PAGE));
            for (DeviceLogEntry e : page) {
                if (filter.matches(e)) {
                    if (out.size() == max) {
                        return new Missed(out, true);
                    }
                    out.add(e);
                }
                after = e.id();
            }
            scanned += page.size();
            // entries the filter skips still count, so that a narrow filter cannot make the platform read without end
            if (page.size() < PAGE || scanned >= 10L * max) {
                return new Missed(out, page.size() == PAGE);
            }
        }
    }
}
