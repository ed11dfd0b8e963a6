package io.thingport.core.internal.rules.sql;

import io.thingport.api.model.ThingModel;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/** A compiled rule statement: immutable and safe to evaluate from several threads at once. Made by {@link RuleSql#compile}. */
public final class CompiledStatement {
    private final Statement statement;
    private final List<String> sources;
    private final List<String> outputNames;
    private final boolean selectsAll;

    CompiledStatement(Statement statement) {
        this.statement = statement;
        this.sources = statement.sources().stream().map(Statement.Source::text).toList();
        this.outputNames = statement.columns().stream().map(Statement.Column::name).toList();
        this.selectsAll = statement.columns().stream().anyMatch(Statement.Column::isStar);
    }

    /** The statement as given to {@link RuleSql#compile}. */
    public String text() {
        return statement.text();
    }

    /** The FROM entries as written, e.g. {@code /thermo/+/properties/report} or {@code $events/device/online}. */
    public List<String> sources() {
        return sources;
    }

    /**
     * The SELECT column names in order: the alias, else the last name of a field path ({@code payload.properties.temp}
     * gives {@code temp}), else {@code expr1}, {@code expr2}, ... for the unnamed expressions; {@code *} for SELECT *.
     */
    public List<String> outputNames() {
        return outputNames;
    }

    /** True when the SELECT list contains {@code *}. */
    public boolean selectsAll() {
        return selectsAll;
    }

    /**
     * Checks the statement against the thing models of the products its FROM topics name.
     *
     * @param models the model of a product id, empty when the product does not exist
     * @throws RuleSqlException for an unknown product, event, property or event data field, or a field compared with a
     *                          literal of another type
     */
    public void check(Function<String, Optional<ThingModel>> models) {
        TypeCheck.check(statement, Objects.requireNonNull(models, "models"));
    }

    /**
     * Evaluates the statement against one message.
     *
     * @param message the message's fields: deviceId, productId, messageId, timestamp, topic, type, payload, ...
     * @return empty when WHERE is false or null; otherwise the selected columns in SELECT order ({@code *} puts every
     *         top-level field of the message)
     * @throws RuleEvalException when an operator or function fails on the message's values
     */
    public Optional<Map<String, Object>> apply(Map<String, Object> message) {
        Objects.requireNonNull(message, "message");
        Evaluator evaluator = new Evaluator(message, System.currentTimeMillis());
        if (statement.where() != null && !Boolean.TRUE.equals(Evaluator.bool(evaluator.eval(statement.where()), "WHERE"))) {
            return Optional.empty();
        }
        Map<String, Object> row = new LinkedHashMap<>();
        for (Statement.Column column : statement.columns()) {
            if (column.isStar()) {
                row.putAll(message);
            } else {
                row.put(column.name(), evaluator.eval(column.expr()));
            }
        }
        return Optional.of(row);
    }

    @Override
    public String toString() {
        return statement.text();
    }
}
