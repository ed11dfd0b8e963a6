package io.thingport.core.internal.rules.sql;

import io.thingport.core.internal.rules.sql.Expr.ArithOp;
import io.thingport.core.internal.rules.sql.Expr.CompareOp;

/** Arithmetic and comparison on values: exact long arithmetic, numbers compared across their Java types. */
final class Operators {
    private Operators() {
    }

    /** {@code l op r}; null when either is null. */
    static Object arithmetic(ArithOp op, Object l, Object r) {
        if (l == null || r == null) {
            return null;
        }
        if (!(l instanceof Number) || !(r instanceof Number)) {
            throw new RuleEvalException("operator " + op.symbol + " cannot be applied to " + Values.typeName(l) + " and "
                    + Values.typeName(r));
        }
        Number a = Values.number(l, "operator " + op.symbol);
        Number b = Values.number(r, "operator " + op.symbol);
        if (Values.isIntegral(a) && Values.isIntegral(b)) {
            return longArithmetic(op, a.longValue(), b.longValue());
        }
        double x = a.doubleValue();
        double y = b.doubleValue();
        double result = switch (op) {
            case ADD -> x + y;
            case SUBTRACT -> x - y;
            case MULTIPLY -> x * y;
            case DIVIDE -> x / requireNonZero(y, op);
            case MODULO -> x % requireNonZero(y, op);
        };
        return Values.finite(result, "the result of " + op.symbol);
    }

    /** {@code y}, unless it is zero. */
    private static double requireNonZero(double y, ArithOp op) {
        if (y == 0) {
            throw new RuleEvalException("division by zero (operator " + op.symbol + ")");
        }
        return y;
    }

    private static long longArithmetic(ArithOp op, long x, long y) {
        try {
            return switch (op) {
                case ADD -> Math.addExact(x, y);
                case SUBTRACT -> Math.subtractExact(x, y);
                case MULTIPLY -> Math.multiplyExact(x, y);
                case DIVIDE -> divide(x, y, op);
                case MODULO -> x % requireNonZero(y, op);
            };
        } catch (ArithmeticException e) {
            throw new RuleEvalException("integer overflow: " + x + " " + op.symbol + " " + y + " does not fit in a long");
        }
    }

    private static long requireNonZero(long y, ArithOp op) {
        if (y == 0) {
            throw new RuleEvalException("division by zero (operator " + op.symbol + ")");
        }
        return y;
    }

    private static long divide(long x, long y, ArithOp op) {
        requireNonZero(y, op);
        if (x == Long.MIN_VALUE && y == -1) {
            throw new ArithmeticException("overflow");
        }
        return x / y;
    }

    /** {@code -v}; null when v is null. */
    static Object negate(Object v) {
        if (v == null) {
            return null;
        }
        if (!(v instanceof Number)) {
            throw new RuleEvalException("unary - cannot be applied to " + Values.typeName(v));
        }
        Number n = Values.number(v, "unary -");
        if (Values.isIntegral(n)) {
            if (n.longValue() == Long.MIN_VALUE) {
                throw new RuleEvalException("integer overflow: -(" + n + ") does not fit in a long");
            }
            return -n.longValue();
        }
        return -n.doubleValue();
    }

    /** {@code l op r}: false when either is null; an error for values of different types or ordered booleans. */
    static boolean compare(CompareOp op, Object l, Object r) {
        if (l == null || r == null) {
            return false;
        }
        int cmp;
        if (l instanceof Number a && r instanceof Number b) {
            cmp = compareNumbers(a, b);
        } else if (l instanceof String a && r instanceof String b) {
            cmp = a.compareTo(b);
        } else if (l instanceof Boolean a && r instanceof Boolean b) {
            if (op != CompareOp.EQ && op != CompareOp.NE) {
                throw new RuleEvalException("operator " + op.symbol + " cannot order booleans (only = and != apply)");
            }
            cmp = a.equals(b) ? 0 : 1;
        } else {
            throw new RuleEvalException("operator " + op.symbol + " cannot compare " + Values.typeName(l) + " with "
                    + Values.typeName(r));
        }
        return switch (op) {
            case EQ -> cmp == 0;
            case NE -> cmp != 0;
            case LT -> cmp < 0;
            case LE -> cmp <= 0;
            case GT -> cmp > 0;
            case GE -> cmp >= 0;
        };
    }

    private static int compareNumbers(Number a, Number b) {
        Values.number(a, "comparison");
        Values.number(b, "comparison");
        if (Values.isIntegral(a) && Values.isIntegral(b)) {
            return Long.compare(a.longValue(), b.longValue());
        }
        return Values.toDecimal(a).compareTo(Values.toDecimal(b));
    }
}
