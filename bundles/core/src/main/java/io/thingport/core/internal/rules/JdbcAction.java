package io.thingport.core.internal.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Inserts each row into a table of an external database (PostgreSQL, MySQL/MariaDB): {@code datasource} (jdbc) and
 * {@code sql}, an INSERT whose named parameters ({@code :t}) are selected columns, bound to a prepared statement; rows are
 * written in JDBC batches of up to {@code batch}.
 */
public record JdbcAction(String label, DataSourceSpec database, NamedSql sql, int batch, RetryPolicy retry, int buffer)
        implements ActionPlan {
    static JdbcAction of(ActionOptions o, DataSourceSpec database, Set<String> columns) {
        NamedSql sql = NamedSql.parse(o.required("sql"), o.label() + " option sql");
        for (String p : sql.parameters()) {
            if (!columns.contains(p)) {
                throw o.invalid("option sql uses :" + p + ", which the statement does not select (selected: "
                        + String.join(", ", new TreeSet<>(columns)) + ")");
            }
        }
        return new JdbcAction(o.label(), database, sql, (int) o.number("batch", 100, 1, 1_000), o.retry(), o.buffer());
    }

    @Override
    public String dataSource() {
        return database.name();
    }

    /** The values bound for one row, in parameter order. */
    List<Object> values(Map<String, Object> row) {
        List<Object> values = new ArrayList<>(sql.parameters().size());
        for (String p : sql.parameters()) {
            Object v = row.get(p);
            values.add(v instanceof Map || v instanceof List ? ActionPlan.text(v) : v);
        }
        return values;
    }

    @Override
    public String describe(Map<String, Object> row) {
        return "jdbc " + database.name() + " " + sql.sql() + " " + values(row);
    }
}
