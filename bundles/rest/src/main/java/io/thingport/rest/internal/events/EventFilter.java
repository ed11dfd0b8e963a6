package io.thingport.rest.internal.events;

import io.thingport.api.device.DeviceLogEntry;
import io.thingport.rest.internal.auth.Caller;
import io.thingport.rest.internal.http.FieldException;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Which device events a stream wants: of one product and/or one device ({@code null}: any), of some kinds (empty:
 * all), and only ever of the products its caller may see.
 */
public record EventFilter(String productId, String deviceId, Set<EventKind> kinds, Caller caller) {
    public EventFilter {
        kinds = kinds.isEmpty() ? EnumSet.noneOf(EventKind.class) : EnumSet.copyOf(kinds);
    }

    /** A filter from request parameters; an unknown kind is refused naming the known ones. */
    public static EventFilter of(String productId, String deviceId, List<String> kindNames, Caller caller) {
        Set<EventKind> kinds = EnumSet.noneOf(EventKind.class);
        for (String name : kindNames) {
            for (String part : name.split(",")) {
                if (part.isBlank()) {
                    continue;
                }
                EventKind k = EventKind.fromName(part);
                if (k == null) {
                    throw new FieldException("type", "type must be one of property, event, online, offline, reply, "
                            + "command, rejected, not " + part.trim());
                }
                kinds.add(k);
            }
        }
        return new EventFilter(blankToNull(productId), blankToNull(deviceId), kinds, caller);
    }

    public boolean matches(DeviceLogEntry e) {
        EventKind kind = EventKind.of(e);
        return kind != null && (kinds.isEmpty() || kinds.contains(kind))
                && (productId == null || productId.equals(e.productId()))
                && (deviceId == null || deviceId.equals(e.deviceId()))
                && e.productId() != null && caller.mayAccessProduct(e.productId());
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
