package io.thingport.core.internal.rules;

import io.thingport.api.ThingportException;
import io.thingport.api.model.ThingModel;
import io.thingport.api.rule.ActionSpec;
import io.thingport.api.rule.RuleDefinition;
import io.thingport.core.internal.rules.sql.CompiledStatement;
import io.thingport.core.internal.rules.sql.RuleSql;
import io.thingport.core.internal.rules.sql.RuleSqlException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * A rule checked and ready to run: its statement parsed and type-checked against the thing models of the products it
 * reads, its sources as event-topic filters, and each action's plan. {@link #compile} is a pure function of the definition
 * and what it looks up; everything wrong with a rule is found here, before anything is stored or started.
 */
public record CompiledRule(RuleDefinition definition, CompiledStatement statement, List<String> busFilters, List<ActionPlan> actions,
                           List<ActionPlan> fallbacks) {
    /** The fields of every message ({@link MessageFields}): what {@code SELECT *} gives a template. */
    static final Set<String> MESSAGE_FIELDS = Set.of("deviceId", "productId", "messageId", "timestamp", "topic", "type", "payload",
            "headers");
    static final int MAX_ACTIONS = 16;
    static final int MAX_DESCRIPTION = 500;
    /** A rule's stored form at most (its column holds 1,000,000). */
    static final int MAX_JSON = 200_000;

    public static CompiledRule compile(RuleDefinition rule, Function<String, Optional<ThingModel>> productModels,
                                       ActionPlan.Lookups lookups) {
        if (!rule.id().matches("[A-Za-z0-9_-]{1,64}")) {
            throw ThingportException.invalidArgument("rule id '" + rule.id() + "' must be 1 to 64 letters, digits, _ or -");
        }
        if (rule.description().length() > MAX_DESCRIPTION) {
            throw ThingportException.invalidArgument("rule " + rule.id() + ": the description is longer than " + MAX_DESCRIPTION
                    + " characters");
        }
        if (rule.sql() == null || rule.sql().isBlank()) {
            throw ThingportException.invalidArgument("rule " + rule.id() + ": the statement (sql) is required");
        }
        if (rule.actions().isEmpty()) {
            throw ThingportException.invalidArgument("rule " + rule.id() + ": at least one action is required");
        }
        if (rule.actions().size() > MAX_ACTIONS || rule.fallbacks().size() > MAX_ACTIONS) {
            throw ThingportException.invalidArgument("rule " + rule.id() + ": at most " + MAX_ACTIONS + " actions and " + MAX_ACTIONS
                    + " fallback actions");
        }
        CompiledStatement statement;
        try {
            statement = RuleSql.compile(rule.sql());
            statement.check(productModels);
        } catch (RuleSqlException e) {
            throw ThingportException.invalidArgument("rule " + rule.id() + ": " + e.getMessage());
        }
        for (String source : statement.sources()) {
            if (source.contains(",") || source.contains("(") || source.contains(")")) {
                throw ThingportException.invalidArgument("rule " + rule.id() + ": source \"" + source + "\" must not contain , ( or )");
            }
        }
        if (RuleJson.write(rule).length() > MAX_JSON) {
            throw ThingportException.invalidArgument("rule " + rule.id() + " is larger than " + MAX_JSON + " characters as JSON");
        }
        Set<String> columns = new LinkedHashSet<>(statement.outputNames());
        columns.remove("*");
        if (statement.selectsAll()) {
            columns.addAll(MESSAGE_FIELDS);
        }
        return new CompiledRule(rule, statement, Sources.busFilters(statement.sources()),
                plans(rule.actions(), "actions", columns, lookups), plans(rule.fallbacks(), "fallbacks", columns, lookups));
    }

    private static List<ActionPlan> plans(List<ActionSpec> specs, String what, Set<String> columns, ActionPlan.Lookups lookups) {
        List<ActionPlan> plans = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            if (specs.get(i) == null) {
                throw ThingportException.invalidArgument(what + "[" + i + "] is empty");
            }
            plans.add(ActionPlan.of(what + "[" + i + "]", specs.get(i), columns, lookups));
        }
        return List.copyOf(plans);
    }

    public String id() {
        return definition.id();
    }

    /** The data sources its actions use. */
    public Set<String> dataSources() {
        Set<String> out = new LinkedHashSet<>();
        actions.forEach(a -> {
            if (a.dataSource() != null) {
                out.add(a.dataSource());
            }
        });
        fallbacks.forEach(a -> {
            if (a.dataSource() != null) {
                out.add(a.dataSource());
            }
        });
        return out;
    }
}
