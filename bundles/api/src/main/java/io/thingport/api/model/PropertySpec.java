package io.thingport.api.model;

import io.thingport.api.Identifiers;
import java.util.Objects;

/** A property of a thing model: a value the device holds and reports. */
public record PropertySpec(String id, String name, DataType type, Access access, PropertyKind kind, String description) {
    public PropertySpec {
        Identifiers.requireThingModelId("property id", id);
        Objects.requireNonNull(type, "type");
        name = name == null || name.isBlank() ? id : name;
        access = access == null ? Access.READ_ONLY : access;
        kind = kind == null ? PropertyKind.STATUS : kind;
        description = description == null ? "" : description;
    }

    public boolean writable() {
        return access == Access.READ_WRITE;
    }
}
