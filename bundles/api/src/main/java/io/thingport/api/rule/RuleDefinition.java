package io.thingport.api.rule;

import java.util.List;
import java.util.Objects;

/**
 * What an operator writes: a statement ({@code SELECT ... FROM "<topic filter>" WHERE ...}), the actions each selected row
 * goes to, and the fallback actions a row goes to when an action gave up on it (after its retries).
 */
public record RuleDefinition(String id, String description, String sql, List<ActionSpec> actions, List<ActionSpec> fallbacks,
                             boolean enabled) {
    public RuleDefinition {
        Objects.requireNonNull(id, "id");
        description = description == null ? "" : description;
        actions = actions == null ? List.of() : List.copyOf(actions);
        fallbacks = fallbacks == null ? List.of() : List.copyOf(fallbacks);
    }

    public RuleDefinition withEnabled(boolean on) {
        return new RuleDefinition(id, description, sql, actions, fallbacks, on);
    }
}
