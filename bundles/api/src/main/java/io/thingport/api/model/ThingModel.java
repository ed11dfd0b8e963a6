package io.thingport.api.model;

import io.thingport.api.ThingportException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * What a product's devices can do: properties, functions and events. Immutable; every uplink and downlink is checked
 * against it with the {@code check*} methods, which either return the canonical values of the whole message or throw
 * a {@link ValidationException} listing every broken rule (so a message is accepted or rejected whole).
 */
public final class ThingModel {
    public static final ThingModel EMPTY = new ThingModel(List.of(), List.of(), List.of());

    private final Map<String, PropertySpec> properties;
    private final Map<String, FunctionSpec> functions;
    private final Map<String, EventSpec> events;

    /**
     * @throws ThingportException (invalid argument) listing every problem of the definition: duplicate or clashing
     *                            identifiers, unordered ranges, empty enums, ...
     */
    public ThingModel(List<PropertySpec> properties, List<FunctionSpec> functions, List<EventSpec> events) {
        List<String> problems = new ArrayList<>();
        this.properties = index(properties, PropertySpec::id, "property", problems);
        this.functions = index(functions, FunctionSpec::id, "function", problems);
        this.events = index(events, EventSpec::id, "event", problems);
        this.properties.values().forEach(p -> problems.addAll(p.type().definitionProblems("property " + p.id())));
        for (FunctionSpec f : this.functions.values()) {
            Set<String> seen = new HashSet<>();
            for (Field in : f.inputs()) {
                if (!seen.add(in.id())) {
                    problems.add("function " + f.id() + ": input " + in.id() + " is defined twice");
                }
                problems.addAll(in.type().definitionProblems("function " + f.id() + " input " + in.id()));
            }
            if (f.output() != null) {
                problems.addAll(f.output().definitionProblems("function " + f.id() + " output"));
            }
        }
        this.events.values().stream().filter(e -> e.output() != null)
                .forEach(e -> problems.addAll(e.output().definitionProblems("event " + e.id())));
        if (!problems.isEmpty()) {
            throw ThingportException.invalidArgument("invalid thing model: " + String.join("; ", problems));
        }
    }

    private static <T> Map<String, T> index(Collection<T> items, Function<T, String> id, String what, List<String> problems) {
        Map<String, T> map = new LinkedHashMap<>();
        if (items != null) {
            for (T item : items) {
                if (map.putIfAbsent(id.apply(item), item) != null) {
                    problems.add(what + " " + id.apply(item) + " is defined twice");
                }
            }
        }
        return Collections.unmodifiableMap(map);
    }

    public Collection<PropertySpec> properties() {
        return properties.values();
    }

    public Collection<FunctionSpec> functions() {
        return functions.values();
    }

    public Collection<EventSpec> events() {
        return events.values();
    }

    public Optional<PropertySpec> property(String id) {
        return Optional.ofNullable(properties.get(id));
    }

    public Optional<FunctionSpec> function(String id) {
        return Optional.ofNullable(functions.get(id));
    }

    public Optional<EventSpec> event(String id) {
        return Optional.ofNullable(events.get(id));
    }

    private static Violation unknown(String what, String id) {
        return new Violation(Violation.ErrorKind.UNKNOWN_IDENTIFIER, what + " " + id, "the thing model has no " + what + " " + id);
    }

    /** Checks property values a device reports (or returns in a read/write reply). */
    public Map<String, Object> checkReported(Map<String, ?> values) {
        return checkProperties(values, false);
    }

    /** Checks property values the platform is about to write: they must also be writable. */
    public Map<String, Object> checkWrite(Map<String, ?> values) {
        return checkProperties(values, true);
    }

    private Map<String, Object> checkProperties(Map<String, ?> values, boolean write) {
        List<Violation> violations = new ArrayList<>();
        Map<String, Object> out = new LinkedHashMap<>();
        if (values.isEmpty()) {
            violations.add(new Violation(Violation.ErrorKind.INVALID_VALUE, "properties", "at least one property is required"));
        }
        for (Map.Entry<String, ?> e : values.entrySet()) {
            PropertySpec spec = properties.get(e.getKey());
            if (spec == null) {
                violations.add(unknown("property", e.getKey()));
                continue;
            }
            if (write && !spec.writable()) {
                violations.add(new Violation(Violation.ErrorKind.INVALID_VALUE, "property " + spec.id(), "the property is read-only"));
                continue;
            }
            try {
                out.put(spec.id(), spec.type().normalize(e.getValue(), "property " + spec.id()));
            } catch (ValidationException ex) {
                violations.addAll(ex.violations());
            }
        }
        if (!violations.isEmpty()) {
            throw new ValidationException(violations);
        }
        return Collections.unmodifiableMap(out);
    }

    /** Checks the identifiers of a property read. */
    public List<String> checkRead(List<String> ids) {
        List<Violation> violations = new ArrayList<>();
        if (ids.isEmpty()) {
            violations.add(new Violation(Violation.ErrorKind.INVALID_VALUE, "properties", "at least one property is required"));
        }
        ids.stream().filter(id -> !properties.containsKey(id)).forEach(id -> violations.add(unknown("property", id)));
        if (!violations.isEmpty()) {
            throw new ValidationException(violations);
        }
        return List.copyOf(ids);
    }

    /** Checks a function invocation's inputs: known function, known inputs, required inputs present, valid values. */
    public Map<String, Object> checkInvoke(String functionId, Map<String, ?> inputs) {
        FunctionSpec spec = functions.get(functionId);
        if (spec == null) {
            throw new ValidationException(unknown("function", functionId));
        }
        List<Violation> violations = new ArrayList<>();
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, ?> e : inputs.entrySet()) {
            String field = "function " + functionId + " input " + e.getKey();
            Optional<Field> in = spec.inputs().stream().filter(f -> f.id().equals(e.getKey())).findFirst();
            if (in.isEmpty()) {
                violations.add(new Violation(Violation.ErrorKind.UNKNOWN_IDENTIFIER, field, "the function has no input " + e.getKey()));
                continue;
            }
            try {
                out.put(e.getKey(), in.get().type().normalize(e.getValue(), field));
            } catch (ValidationException ex) {
                violations.addAll(ex.violations());
            }
        }
        spec.inputs().stream().filter(f -> f.required() && !inputs.containsKey(f.id())).forEach(f -> violations.add(
                new Violation(Violation.ErrorKind.INVALID_VALUE, "function " + functionId + " input " + f.id(), "the input is required")));
        if (!violations.isEmpty()) {
            throw new ValidationException(violations);
        }
        return Collections.unmodifiableMap(out);
    }

    /** Checks an event's data against the event's output type (any value when the event declares none). */
    public Object checkEvent(String eventId, Object data) {
        EventSpec spec = events.get(eventId);
        if (spec == null) {
            throw new ValidationException(unknown("event", eventId));
        }
        return spec.output() == null ? data : spec.output().normalize(data, "event " + eventId);
    }
}
