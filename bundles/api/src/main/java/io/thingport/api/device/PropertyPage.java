package io.thingport.api.device;

import java.util.List;

/**
 * One page of a property's stored values, newest first, and the cursor of the next page ({@code null} at the end).
 * A cursor is opaque: pass it back unchanged.
 */
public record PropertyPage(List<PropertyValue> values, String next) {
    public PropertyPage {
        values = List.copyOf(values);
    }
}
