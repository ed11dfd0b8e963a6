package io.thingport.core.internal.rules;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.thingport.api.model.ThingModel;
import io.thingport.core.internal.json.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Sends a command to a device (M2M linkage): {@code deviceId} (a template), {@code command} {@code write} (properties) or
 * {@code invoke} ({@code function}), the values as {@code set.<id>} templates, {@code timeoutMs}. A template that is one
 * placeholder passes the column's value as it is; other text is read as a JSON scalar when it is one ({@code 30},
 * {@code true}), else as a string. With a literal device id the values are checked against its thing model when the rule
 * is saved; the platform checks every command again when it is sent.
 */
public record DeviceAction(String label, Template deviceId, String command, String function, Map<String, Template> values,
                           long timeoutMs, RetryPolicy retry, int buffer) implements ActionPlan {
    static DeviceAction of(ActionOptions o, Function<String, Optional<ThingModel>> models) {
        Template deviceId = o.template("deviceId", true);
        String command = o.oneOf("command", "write", List.of("write", "invoke"));
        String function = "invoke".equals(command) ? o.required("function") : o.optional("function");
        if (function != null && !"invoke".equals(command)) {
            throw o.invalid("option function applies only to command invoke");
        }
        Map<String, Template> values = o.templates("set.");
        if (values.isEmpty() && "write".equals(command)) {
            throw o.invalid("a write needs at least one set.<property> option");
        }
        DeviceAction plan = new DeviceAction(o.label(), deviceId, command, function, values, o.number("timeoutMs", 5_000, 100, 120_000),
                o.retry(), o.buffer());
        if (deviceId.isConstant()) {
            ThingModel model = models.apply(deviceId.text()).orElseThrow(() -> o.invalid("unknown device '" + deviceId.text() + "'"));
            if ("write".equals(command)) {
                    for (String p : values.keySet()) {
                        if (model.property(p).isEmpty()) {
                            throw o.invalid("device " + deviceId.text() + " has no property " + p);
                        }
                        if (!model.property(p).get().writable()) {
                            throw o.invalid("property " + p + " of device " + deviceId.text() + " is read-only");
                        }
                    }
            } else if (model.function(function).isEmpty()) {
                throw o.invalid("device " + deviceId.text() + " has no function " + function);
            }
        }
        return plan;
    }

    @Override
    public long sendTimeoutMs() {
        return timeoutMs + 5_000;
    }

    @Override
    public String dataSource() {
        return null;
    }

    /** The command's values for one row. */
    Map<String, Object> valuesOf(Map<String, Object> row) {
        Map<String, Object> out = new LinkedHashMap<>();
        values.forEach((id, t) -> out.put(id, value(t, row)));
        return out;
    }

    static Object value(Template t, Map<String, Object> row) {
        if (t.isConstant()) {
            return scalar(t.text());
        }
        if (t.text().matches("\\$\\{[^}]+}")) {
            return Template.lookup(row, t.text().substring(2, t.text().length() - 1).trim());
        }
        return scalar(t.render(row, ActionPlan::text));
    }

    private static Object scalar(String text) {
        try {
            Object v = Json.MAPPER.readValue(text, Object.class);
            return v instanceof Map || v instanceof List || v == null ? text : v;
        } catch (JsonProcessingException e) {
            return text;
        }
    }

    @Override
    public String describe(Map<String, Object> row) {
        return "device " + deviceId.render(row, ActionPlan::text) + " " + command + (function == null ? "" : " " + function) + " "
                + Json.write(valuesOf(row));
    }
}
