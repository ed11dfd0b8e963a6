package io.thingport.core.internal.rules.sql;

/**
 * A rule statement that cannot be compiled or does not fit the thing models: a syntax error, a broken limit, an
 * unknown function, source, product, property or event, a type mismatch. Positional errors carry the 1-based line and
 * column of the offending token and read {@code line 1, column 45: expected FROM but found 'WHERE'}; the others have
 * line and column 0.
 */
public final class RuleSqlException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int line;
    private final int column;
    private final String reason;

    /** A positional error; {@code line} and {@code column} are 1-based. */
    public RuleSqlException(int line, int column, String reason) {
        super(line > 0 ? "line " + line + ", column " + column + ": " + reason : reason);
        this.line = line;
        this.column = column;
        this.reason = reason;
    }

    /** An error without a position in the statement. */
    public RuleSqlException(String reason) {
        this(0, 0, reason);
    }

    static RuleSqlException at(Pos pos, String reason) {
        return new RuleSqlException(pos.line(), pos.column(), reason);
    }

    /** 1-based line of the error, 0 when the error has no position. */
    public int line() {
        return line;
    }

    /** 1-based column of the error, 0 when the error has no position. */
    public int column() {
        return column;
    }

    /** The message without the position prefix. */
    public String reason() {
        return reason;
    }
}
