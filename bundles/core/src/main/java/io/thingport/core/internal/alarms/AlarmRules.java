package io.thingport.core.internal.alarms;

import io.thingport.api.model.DataType;
import io.thingport.api.model.PropertyKind;
import io.thingport.api.model.PropertySpec;
import io.thingport.api.model.ThingModel;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * When a property of kind {@link PropertyKind#ALARM} or {@link PropertyKind#FAULT} is active, and which transitions a
 * report makes. Active: a bool {@code true}; a number other than 0; an enum value other than the first of its type
 * (the first is the normal state, as Gizwits alarm enums list it); a string that is not empty. Values of other types
 * (date, binary, array, object) and {@code null} are never active: such properties raise no alarm. Pure functions.
 */
public final class AlarmRules {
    private AlarmRules() {
    }

    /** A change of one alarm or fault property: raised ({@code raised}) or cleared, with the value that made it. */
    public record Transition(String property, PropertyKind kind, boolean raised, Object value) {
    }

    /** Whether a canonical value of a type is active. */
    public static boolean isActive(DataType type, Object value) {
        if (value == null) {
            return false;
        }
        return switch (type.kind()) {
            case BOOL -> Boolean.TRUE.equals(value);
            case INT, LONG, FLOAT, DOUBLE -> value instanceof Number n && new BigDecimal(n.toString()).signum() != 0;
            case ENUM -> !type.enumValues().isEmpty() && !type.enumValues().keySet().iterator().next().equals(String.valueOf(value));
            case STRING -> !value.toString().isEmpty();
            default -> false;
        };
    }

    /** Whether the model has any alarm or fault property. */
    public static boolean hasAlarms(ThingModel model) {
        return model.properties().stream().anyMatch(p -> p.kind() != PropertyKind.STATUS);
    }

    /**
     * The transitions a report's canonical values make, in model order: an active value of a property not active
     * before raises it, an inactive value of a property active before clears it; a property the report does not carry
     * keeps its state.
     *
     * @param activeBefore the alarm and fault properties of the device active before the report
     */
    public static List<Transition> transitions(ThingModel model, Map<String, Object> reported, Set<String> activeBefore) {
        List<Transition> out = new ArrayList<>();
        for (PropertySpec p : model.properties()) {
            if (p.kind() == PropertyKind.STATUS || !reported.containsKey(p.id())) {
                continue;
            }
            Object value = reported.get(p.id());
            boolean active = isActive(p.type(), value);
            if (active != activeBefore.contains(p.id())) {
                out.add(new Transition(p.id(), p.kind(), active, value));
            }
        }
        return out;
    }
}
