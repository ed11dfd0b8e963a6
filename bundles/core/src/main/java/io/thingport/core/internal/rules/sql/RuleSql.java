package io.thingport.core.internal.rules.sql;

/**
 * The rule language: an EMQX-style statement such as
 * {@code SELECT payload.properties.temp AS t, deviceId FROM "/thermo/+/properties/report" WHERE payload.properties.temp > 30}.
 * Statements come from API and shell users, so compiling and evaluating are bounded (see {@link Limits}).
 */
public final class RuleSql {
    private RuleSql() {
    }

    /**
     * Parses a statement.
     *
     * @throws RuleSqlException with line and column for a syntax error, an unknown function, a wrong number of
     *                          arguments, an invalid source or a broken limit
     */
    public static CompiledStatement compile(String sql) {
        if (sql == null || sql.isBlank()) {
            throw new RuleSqlException("the statement is empty");
        }
        if (sql.length() > Limits.MAX_STATEMENT_LENGTH) {
            throw new RuleSqlException("the statement is " + sql.length() + " characters long, more than the limit of "
                    + Limits.MAX_STATEMENT_LENGTH);
        }
        return new CompiledStatement(Parser.parse(sql));
    }
}
