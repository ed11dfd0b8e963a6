package io.thingport.core.internal.registry;

import io.thingport.api.Identifiers;
import io.thingport.api.ThingportException;
import io.thingport.api.device.DeviceService;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/** The rules of device tags ({@link DeviceService#setTags}), as pure functions. */
final class DeviceTags {
    private DeviceTags() {
    }

    /**
     * Checks one tag: the key an identifier of at most {@link DeviceService#MAX_TAG_KEY} characters, the value at most
     * {@link DeviceService#MAX_TAG_VALUE} characters without control characters.
     *
     * @throws ThingportException {@code INVALID_ARGUMENT} naming the tag and the rule
     */
    static void check(String key, String value) {
        if (key == null || key.isEmpty()) {
            throw ThingportException.invalidArgument("a tag key is required");
        }
        if (key.length() > DeviceService.MAX_TAG_KEY) {
            throw ThingportException.invalidArgument("tag key '" + key + "' is longer than " + DeviceService.MAX_TAG_KEY + " characters");
        }
        if (!Identifiers.THING_MODEL_ID.matcher(key).matches()) {
            throw ThingportException.invalidArgument("tag key '" + key + "' must be a letter followed by letters, digits and _");
        }
        if (value == null) {
            throw ThingportException.invalidArgument("tag " + key + " has no value (an empty one is allowed)");
        }
        if (value.length() > DeviceService.MAX_TAG_VALUE) {
            throw ThingportException.invalidArgument("the value of tag " + key + " is longer than " + DeviceService.MAX_TAG_VALUE
                    + " characters");
        }
        if (value.chars().anyMatch(Character::isISOControl)) {
            throw ThingportException.invalidArgument("the value of tag " + key + " contains a control character");
        }
    }

    /** Checks every tag of a set a device would carry, and how many there are; returns them sorted by key. */
    static SortedMap<String, String> checked(Map<String, String> tags) {
        SortedMap<String, String> out = new TreeMap<>();
        for (Map.Entry<String, String> e : tags.entrySet()) {
            check(e.getKey(), e.getValue());
            out.put(e.getKey(), e.getValue());
        }
        if (out.size() > DeviceService.MAX_TAGS) {
            throw ThingportException.invalidArgument(out.size() + " tags are too many: a device carries at most "
                    + DeviceService.MAX_TAGS);
        }
        return out;
    }

    /** The tags a device carries after {@code put} and {@code remove} change {@code current}, checked as {@link #checked}. */
    static SortedMap<String, String> updated(Map<String, String> current, Map<String, String> put, Set<String> remove) {
        for (String key : remove) {
            if (put.containsKey(key)) {
                throw ThingportException.invalidArgument("tag " + key + " cannot be both set and removed");
            }
        }
        Map<String, String> next = new TreeMap<>(current);
        next.keySet().removeAll(remove);
        for (Map.Entry<String, String> e : put.entrySet()) {
            check(e.getKey(), e.getValue());
            next.put(e.getKey(), e.getValue());
        }
        return checked(next);
    }
}
