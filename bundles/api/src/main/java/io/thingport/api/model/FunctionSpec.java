package io.thingport.api.model;

import io.thingport.api.Identifiers;
import java.util.List;

/**
 * A function (service) the platform can invoke on a device.
 *
 * @param output the type of the reply's output, or {@code null} when the function returns nothing in particular
 * @param async  {@code true} when the device answers later; the platform then waits for the reply up to the caller's
 *               timeout instead of expecting it at once
 */
public record FunctionSpec(String id, String name, List<Field> inputs, DataType output, boolean async, String description) {
    public FunctionSpec {
        Identifiers.requireThingModelId("function id", id);
        name = name == null || name.isBlank() ? id : name;
        inputs = inputs == null ? List.of() : List.copyOf(inputs);
        description = description == null ? "" : description;
    }
}
