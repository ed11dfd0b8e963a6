package io.thingport.core.internal.rules.sql;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/** Classifies and converts the values a statement works on (JSON-decoded Java values). */
final class Values {
    private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    private Values() {
    }

    /** The type name an error message shows: null, boolean, number, string, array or object. */
    static String typeName(Object v) {
        if (v == null) {
            return "null";
        } else if (v instanceof Boolean) {
            return "boolean";
        } else if (v instanceof Number) {
            return "number";
        } else if (v instanceof String) {
            return "string";
        } else if (v instanceof List) {
            return "array";
        } else if (v instanceof Map) {
            return "object";
        }
        return v.getClass().getSimpleName();
    }

    /** True for a whole number that fits in a long: Integer, Long, Short, Byte or a small BigInteger. */
    static boolean isIntegral(Object v) {
        return v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte
                || v instanceof BigInteger b && b.compareTo(LONG_MIN) >= 0 && b.compareTo(LONG_MAX) <= 0;
    }

    static BigDecimal toDecimal(Number n) {
        if (n instanceof BigDecimal d) {
            return d;
        } else if (n instanceof BigInteger b) {
            return new BigDecimal(b);
        } else if (isIntegral(n)) {
            return BigDecimal.valueOf(n.longValue());
        }
        return new BigDecimal(n.doubleValue());
    }

    /** A finite double as a result, or the error naming {@code what}. */
    static double finite(double d, String what) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            throw new RuleEvalException(what + " is not a finite number");
        }
        return d;
    }

    static Number number(Object v, String what) {
        if (v instanceof Number n) {
            if (n instanceof Double d && (d.isNaN() || d.isInfinite()) || n instanceof Float f && (f.isNaN() || f.isInfinite())) {
                throw new RuleEvalException(what + " is not a finite number");
            }
            return n;
        }
        throw new RuleEvalException(what + " expects a number, got " + typeName(v));
    }

    static String string(Object v, String what) {
        if (v instanceof String s) {
            return s;
        }
        throw new RuleEvalException(what + " expects a string, got " + typeName(v));
    }

    /** Checks a built string against the length limit. */
    static String capped(String s, String what) {
        capLength(s.length(), what);
        return s;
    }

    static void capLength(long length, String what) {
        if (length > Limits.MAX_STRING_LENGTH) {
            throw new RuleEvalException(what + " would build a string of " + length + " characters, more than the limit of "
                    + Limits.MAX_STRING_LENGTH);
        }
    }

    /** The text of a value: strings as they are, numbers and booleans as written in JSON, arrays and objects as JSON. */
    static String text(Object v, String what) {
        if (v instanceof String s) {
            return s;
        }
        StringBuilder sb = new StringBuilder();
        appendJson(sb, v, what, 0);
        return sb.toString();
    }

    private static void appendJson(StringBuilder sb, Object v, String what, int depth) {
        capLength(sb.length(), what);
        if (depth > Limits.MAX_DEPTH) {
            throw new RuleEvalException(what + ": the value is nested deeper than " + Limits.MAX_DEPTH + " levels");
        }
        if (v == null || v instanceof Boolean) {
            sb.append(v);
        } else if (v instanceof BigDecimal d) {
            sb.append(d.toString());
        } else if (v instanceof Number n) {
            sb.append(n);
        } else if (v instanceof String s && depth == 0) {
            sb.append(s);
        } else if (v instanceof String s) {
            appendQuoted(sb, s);
        } else if (v instanceof List<?> list) {
            sb.append('[');
            for (int i = 0; i < list.size(); i++) {
                sb.append(i == 0 ? "" : ",");
                appendJson(sb, list.get(i), what, depth + 1);
            }
            sb.append(']');
        } else if (v instanceof Map<?, ?> map) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                sb.append(first ? "" : ",");
                first = false;
                appendQuoted(sb, String.valueOf(e.getKey()));
                sb.append(':');
                appendJson(sb, e.getValue(), what, depth + 1);
            }
            sb.append('}');
        } else {
            appendQuoted(sb, v.toString());
        }
        capLength(sb.length(), what);
    }

    private static void appendQuoted(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        sb.append('"');
    }
}
