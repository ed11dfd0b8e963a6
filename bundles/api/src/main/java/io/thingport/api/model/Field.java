package io.thingport.api.model;

import io.thingport.api.Identifiers;
import java.util.Objects;

/** A named, typed member: a field of an object type, or an input parameter of a function. */
public record Field(String id, String name, DataType type, boolean required) {
    public Field {
        Identifiers.requireThingModelId("field id", id);
        Objects.requireNonNull(type, "type");
        name = name == null || name.isBlank() ? id : name;
    }
}
