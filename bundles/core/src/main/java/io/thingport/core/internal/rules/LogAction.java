package io.thingport.core.internal.rules;

import io.thingport.core.internal.json.Json;
import java.util.List;
import java.util.Map;

/** Writes each row to the rule's log ({@code karaf.log}, logger {@code io.thingport.rules.<rule id>}): for trying rules. */
public record LogAction(String label, String level, RetryPolicy retry, int buffer) implements ActionPlan {
    static LogAction of(ActionOptions o) {
        return new LogAction(o.label(), o.oneOf("level", "info", List.of("info", "debug", "warn")), new RetryPolicy(0, 1, 1), o.buffer());
    }

    @Override
    public String dataSource() {
        return null;
    }

    @Override
    public String describe(Map<String, Object> row) {
        return "log " + level + " " + Json.write(row);
    }
}
