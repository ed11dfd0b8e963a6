package io.thingport.core.internal.rules.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Evaluates an expression against one message. Missing fields are null; null propagates through arithmetic and
 * functions (but coalesce); a comparison with null is false; AND, OR and NOT follow SQL's three-valued logic and
 * short-circuit. The tree is at most {@link Limits#MAX_DEPTH} deep, so the recursion is bounded.
 */
final class Evaluator {
    private final Map<String, Object> message;
    private final long now;

    Evaluator(Map<String, Object> message, long now) {
        this.message = message;
        this.now = now;
    }

    Object eval(Expr e) {
        if (e instanceof Expr.Literal l) {
            return l.value();
        } else if (e instanceof Expr.FieldRef f) {
            return field(f);
        } else if (e instanceof Expr.Logical l) {
            return logical(l);
        } else if (e instanceof Expr.Not n) {
            Boolean b = bool(eval(n.operand()), "NOT");
            return b == null ? null : !b;
        } else if (e instanceof Expr.Negate n) {
            return Operators.negate(eval(n.operand()));
        } else if (e instanceof Expr.Arithmetic a) {
            return Operators.arithmetic(a.op(), eval(a.left()), eval(a.right()));
        } else if (e instanceof Expr.Compare c) {
            return Operators.compare(c.op(), eval(c.left()), eval(c.right()));
        } else if (e instanceof Expr.IsNull n) {
            return (eval(n.operand()) == null) != n.negated();
        } else if (e instanceof Expr.In in) {
            return in(in);
        } else if (e instanceof Expr.Like l) {
            return like(l);
        } else if (e instanceof Expr.Case c) {
            return caseExpr(c);
        } else if (e instanceof Expr.Call c) {
            return call(c);
        }
        throw new IllegalStateException("unknown expression " + e.getClass().getSimpleName());
    }

    /** A condition's value: TRUE, FALSE or null; anything else is an error naming {@code where}. */
    static Boolean bool(Object v, String where) {
        if (v == null || v instanceof Boolean) {
            return (Boolean) v;
        }
        throw new RuleEvalException(where + " expects a boolean, got " + Values.typeName(v) + " " + Token.shorten(String.valueOf(v)));
    }

    private Object field(Expr.FieldRef f) {
        Object current = message;
        for (Object step : f.path()) {
            if (step instanceof String key && current instanceof Map<?, ?> map) {
                current = map.get(key);
            } else if (step instanceof Integer i && current instanceof List<?> list && i < list.size()) {
                current = list.get(i);
            } else {
                return null;
            }
        }
        return current;
    }

    private Boolean logical(Expr.Logical l) {
        String op = l.and() ? "AND" : "OR";
        Boolean left = bool(eval(l.left()), op);
        if (left != null && left != l.and()) {
            return left;
        }
        Boolean right = bool(eval(l.right()), op);
        if (right != null && right != l.and()) {
            return right;
        }
        return left == null || right == null ? null : l.and();
    }

    private boolean in(Expr.In in) {
        Object v = eval(in.operand());
        if (v == null) {
            return false;
        }
        for (Expr item : in.items()) {
            Object candidate = eval(item);
            if (candidate != null && Operators.compare(Expr.CompareOp.EQ, v, candidate)) {
                return !in.negated();
            }
        }
        return in.negated();
    }

    private boolean like(Expr.Like l) {
        Object v = eval(l.operand());
        Object p = eval(l.pattern());
        if (v == null || p == null) {
            return false;
        }
        if (!(v instanceof String s) || !(p instanceof String pattern)) {
            throw new RuleEvalException("LIKE expects strings, got " + Values.typeName(v) + " LIKE " + Values.typeName(p));
        }
        return LikeMatcher.matches(s, pattern) != l.negated();
    }

    private Object caseExpr(Expr.Case c) {
        Object subject = c.subject() == null ? null : eval(c.subject());
        for (Expr.When w : c.whens()) {
            boolean hit;
            if (c.subject() == null) {
                hit = Boolean.TRUE.equals(bool(eval(w.condition()), "CASE WHEN"));
            } else {
                Object value = eval(w.condition());
                hit = subject != null && value != null && Operators.compare(Expr.CompareOp.EQ, subject, value);
            }
            if (hit) {
                return eval(w.result());
            }
        }
        return c.otherwise() == null ? null : eval(c.otherwise());
    }

    private Object call(Expr.Call c) {
        List<Object> args = new ArrayList<>(c.args().size());
        for (Expr arg : c.args()) {
            Object v = eval(arg);
            if (v == null && !c.function().nullSafe()) {
                return null;
            }
            args.add(v);
        }
        return c.function().impl().apply(args, now);
    }
}
