package io.thingport.core.internal.rules;

import io.thingport.api.ThingportException;
import io.thingport.api.model.ThingModel;
import io.thingport.api.rule.ActionSpec;
import io.thingport.core.internal.json.Json;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * A checked action: where a row goes and how ({@link #describe} says it for a dry run), with its retry policy and buffer.
 * {@link #of} is the one place that reads an {@link ActionSpec}: an unknown type, a missing or unknown option, a template
 * naming an unselected column or an unknown data source is refused there, when the rule is saved.
 */
public sealed interface ActionPlan permits LogAction, HttpAction, KafkaAction, JdbcAction, DeviceAction, MqttAction {
    List<String> TYPES = List.of("log", "http", "kafka", "jdbc", "device", "mqtt");

    /** Position and type: {@code actions[0] kafka}. */
    String label();

    RetryPolicy retry();

    int buffer();

    /** How long one send may take before it counts as failed (its own timeout, and some slack). */
    default long sendTimeoutMs() {
        return 60_000;
    }

    /** The data source it connects through, or null. */
    String dataSource();

    /** What the action would send for {@code row} (dry run), secrets left out. */
    String describe(Map<String, Object> row);

    /** What a rule's action needs to look up while it is checked. */
    interface Lookups {
        Optional<DataSourceSpec> dataSource(String name);

        /** The thing model of an existing device's product. */
        Optional<ThingModel> deviceModel(String deviceId);
    }

    static ActionPlan of(String position, ActionSpec spec, Set<String> columns, Lookups lookups) {
        String label = position + " " + spec.type();
        if (!TYPES.contains(spec.type())) {
            throw ThingportException.invalidArgument(position + ": unknown action type '" + spec.type() + "' (known: "
                    + String.join(", ", TYPES) + ")");
        }
        ActionOptions o = new ActionOptions(label, spec, columns);
        ActionPlan plan = switch (spec.type()) {
            case "log" -> LogAction.of(o);
            case "http" -> HttpAction.of(o, name -> source(o, lookups, name, "http"));
            case "kafka" -> KafkaAction.of(o, source(o, lookups, o.required("datasource"), "kafka"));
            case "jdbc" -> JdbcAction.of(o, source(o, lookups, o.required("datasource"), "jdbc"), columns);
            case "device" -> DeviceAction.of(o, lookups::deviceModel);
            default -> MqttAction.of(o, source(o, lookups, o.required("datasource"), "mqtt"));
        };
        o.done();
        return plan;
    }

    private static DataSourceSpec source(ActionOptions o, Lookups lookups, String name, String type) {
        DataSourceSpec ds = lookups.dataSource(name)
                .orElseThrow(() -> o.invalid("unknown data source '" + name + "' (iot:datasource-list shows them)"));
        if (!ds.type().equals(type)) {
            throw o.invalid("data source '" + name + "' is of type " + ds.type() + ", not " + type);
        }
        return ds;
    }

    /** A row or a value as text inside a template: JSON for maps and lists, plain text otherwise, empty for null. */
    static String text(Object value) {
        if (value == null) {
            return "";
        }
        return value instanceof Map || value instanceof List ? Json.write(value) : String.valueOf(value);
    }

    /** Used by the plans whose options name a data source through a function (e.g. an optional one). */
    interface Sources extends Function<String, DataSourceSpec> {
    }
}
