package io.thingport.api.device;

import io.thingport.api.ThingportException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Where a device stands in the device list. Every device has exactly one status, so the counts per status add up to
 * the number of devices. Since 1.3.
 */
public enum DeviceStatus {
    /** Enabled and connected now. */
    ONLINE,
    /** Enabled, not connected now, but connected at least once. */
    OFFLINE,
    /** Enabled and never connected. */
    NEVER_CONNECTED,
    /** Disabled by an operator (it cannot connect), whatever it did before. */
    DISABLED;

    /** The status of a device that is {@code enabled} (or not) and in {@code state}. */
    public static DeviceStatus of(boolean enabled, DeviceState state) {
        if (!enabled) {
            return DISABLED;
        }
        if (state.online()) {
            return ONLINE;
        }
        return state.firstOnline() == null ? NEVER_CONNECTED : OFFLINE;
    }

    /** The name as users type it: lower case, {@code never-connected}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * The status a user named (any case, {@code -} or {@code _}).
     *
     * @throws ThingportException {@code INVALID_ARGUMENT} naming the statuses there are
     */
    public static DeviceStatus parse(String name) {
        if (name != null) {
            String n = name.trim().toUpperCase(Locale.ROOT).replace('-', '_');
            for (DeviceStatus s : values()) {
                if (s.name().equals(n)) {
                    return s;
                }
            }
        }
        throw ThingportException.invalidArgument("status '" + name + "' is not a device status: it is one of "
                + Arrays.stream(values()).map(DeviceStatus::label).collect(Collectors.joining(", ")));
    }
}
