package io.thingport.api.model;

import io.thingport.api.Identifiers;

/**
 * An event a device raises.
 *
 * @param output the type of the event's data, or {@code null} when any JSON value is accepted
 */
public record EventSpec(String id, String name, EventLevel level, DataType output, String description) {
    public EventSpec {
        Identifiers.requireThingModelId("event id", id);
        name = name == null || name.isBlank() ? id : name;
        level = level == null ? EventLevel.INFO : level;
        description = description == null ? "" : description;
    }
}
