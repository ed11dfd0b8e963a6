package io.thingport.core.internal.rules.sql;

import java.util.List;

/** The expression tree of a statement: immutable records, evaluated by {@link Evaluator}, checked by {@link TypeCheck}. */
sealed interface Expr {
    /** Where the expression starts and how deep its tree is. */
    Pos at();

    /** A number (Long or Double), string, boolean or null. */
    record Literal(Object value, Pos at) implements Expr {
    }

    /** A field of the message: each step is a String (a map key) or an Integer (a list index). */
    record FieldRef(List<Object> path, String text, Pos at) implements Expr {
    }

    record Negate(Expr operand, Pos at) implements Expr {
    }

    record Not(Expr operand, Pos at) implements Expr {
    }

    /** AND / OR, with short-circuit and three-valued logic. */
    record Logical(boolean and, Expr left, Expr right, Pos at) implements Expr {
    }

    record Arithmetic(ArithOp op, Expr left, Expr right, Pos at) implements Expr {
    }

    record Compare(CompareOp op, Expr left, Expr right, Pos at) implements Expr {
    }

    record IsNull(Expr operand, boolean negated, Pos at) implements Expr {
    }

    record In(Expr operand, List<Expr> items, boolean negated, Pos at) implements Expr {
    }

    record Like(Expr operand, Expr pattern, boolean negated, Pos at) implements Expr {
    }

    /** {@code CASE [subject] WHEN .. THEN .. [ELSE ..] END}; {@code subject} and {@code otherwise} may be null. */
    record Case(Expr subject, List<When> whens, Expr otherwise, Pos at) implements Expr {
    }

    record When(Expr condition, Expr result) {
    }

    record Call(Functions.Fn function, List<Expr> args, Pos at) implements Expr {
    }

    enum ArithOp {
        ADD("+"), SUBTRACT("-"), MULTIPLY("*"), DIVIDE("/"), MODULO("%");

        final String symbol;

        ArithOp(String symbol) {
            this.symbol = symbol;
        }
    }

    enum CompareOp {
        EQ("="), NE("!="), LT("<"), LE("<="), GT(">"), GE(">=");

        final String symbol;

        CompareOp(String symbol) {
            this.symbol = symbol;
        }
    }
}
