package io.thingport.core.internal.rules.sql;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The functions a statement may call: name, arity (checked at compile time) and implementation. Unless {@link Fn#nullSafe()},
 * a null argument makes the result null without calling the implementation.
 */
final class Functions {
    /** An implementation; {@code now} is the evaluation's clock (epoch milliseconds). */
    interface Impl {
        Object apply(List<Object> args, long now);
    }

    /** A function; {@code maxArgs} is {@link Integer#MAX_VALUE} for varargs. */
    record Fn(String name, int minArgs, int maxArgs, boolean nullSafe, Impl impl) {
        String arity() {
            if (minArgs == maxArgs) {
                return minArgs + (minArgs == 1 ? " argument" : " arguments");
            }
            return maxArgs == Integer.MAX_VALUE ? "at least " + minArgs + (minArgs == 1 ? " argument" : " arguments")
                    : minArgs + " to " + maxArgs + " arguments";
        }
    }

    private static final Map<String, Fn> ALL = new LinkedHashMap<>();

    static {
        strict("lower", 1, 1, (a, now) -> Values.capped(str(a, 0, "lower").toLowerCase(Locale.ROOT), "lower"));
        strict("upper", 1, 1, (a, now) -> Values.capped(str(a, 0, "upper").toUpperCase(Locale.ROOT), "upper"));
        strict("trim", 1, 1, (a, now) -> str(a, 0, "trim").strip());
        strict("length", 1, 1, (a, now) -> {
            String s = str(a, 0, "length");
            return (long) s.codePointCount(0, s.length());
        });
        strict("concat", 1, Integer.MAX_VALUE, (a, now) -> concat(a));
        strict("substr", 2, 3, Functions::substr);
        strict("replace", 3, 3, (a, now) -> replace(str(a, 0, "replace"), str(a, 1, "replace"), str(a, 2, "replace")));
        strict("startswith", 2, 2, (a, now) -> str(a, 0, "startswith").startsWith(str(a, 1, "startswith")));
        strict("endswith", 2, 2, (a, now) -> str(a, 0, "endswith").endsWith(str(a, 1, "endswith")));
        strict("contains", 2, 2, (a, now) -> str(a, 0, "contains").contains(str(a, 1, "contains")));
        strict("abs", 1, 1, (a, now) -> abs(num(a, 0, "abs")));
        strict("round", 1, 2, Functions::round);
        strict("floor", 1, 1, (a, now) -> whole(Math.floor(num(a, 0, "floor").doubleValue()), num(a, 0, "floor"), "floor"));
        strict("ceil", 1, 1, (a, now) -> whole(Math.ceil(num(a, 0, "ceil").doubleValue()), num(a, 0, "ceil"), "ceil"));
        strict("sqrt", 1, 1, (a, now) -> sqrt(num(a, 0, "sqrt")));
        strict("power", 2, 2, (a, now) -> power(num(a, 0, "power"), num(a, 1, "power")));
        strict("mod", 2, 2, (a, now) -> Operators.arithmetic(Expr.ArithOp.MODULO, num(a, 0, "mod"), num(a, 1, "mod")));
        strict("now_timestamp", 0, 0, (a, now) -> now);
        strict("format_date", 2, 3, (a, now) -> formatDate(a, null));
        ALL.put("coalesce", new Fn("coalesce", 1, Integer.MAX_VALUE, true,
                (a, now) -> a.stream().filter(v -> v != null).findFirst().orElse(null)));
        strict("to_string", 1, 1, (a, now) -> Values.capped(Values.text(a.get(0), "to_string()"), "to_string()"));
        strict("to_number", 1, 1, (a, now) -> toNumber(a.get(0)));
    }

    private Functions() {
    }

    private static void strict(String name, int min, int max, Impl impl) {
        ALL.put(name, new Fn(name, min, max, false, impl));
    }

    static Optional<Fn> lookup(String name) {
        return Optional.ofNullable(ALL.get(name.toLowerCase(Locale.ROOT)));
    }

    static List<String> names() {
        return Collections.unmodifiableList(List.copyOf(ALL.keySet()));
    }

    /**
     * Checks a call's literal arguments at compile time and returns the function to call: format_date with a literal
     * pattern (and zone) gets its formatter built once.
     *
     * @throws RuleSqlException for a bad literal date pattern or zone
     */
    static Fn bind(Fn fn, List<Expr> args) {
        if (!fn.name().equals("format_date")) {
            return fn;
        }
        Object pattern = literal(args.get(1));
        Object zone = args.size() > 2 ? literal(args.get(2)) : "UTC";
        if (!(pattern instanceof String p) || !(zone instanceof String z)) {
            return fn;
        }
        try {
            Formatter f = formatter(p, z);
            return new Fn(fn.name(), fn.minArgs(), fn.maxArgs(), false, (a, now) -> formatDate(a, f));
        } catch (RuleEvalException e) {
            Expr culprit = e.getMessage().startsWith("format_date() zone") ? args.get(2) : args.get(1);
            throw RuleSqlException.at(culprit.at(), e.getMessage());
        }
    }

    private static Object literal(Expr e) {
        return e instanceof Expr.Literal l ? l.value() : null;
    }

    private static String str(List<Object> args, int i, String fn) {
        return Values.string(args.get(i), fn + "()");
    }

    private static Number num(List<Object> args, int i, String fn) {
        return Values.number(args.get(i), fn + "()");
    }

    private static long integer(List<Object> args, int i, String fn, String what) {
        Number n = num(args, i, fn);
        if (!Values.isIntegral(n)) {
            throw new RuleEvalException(fn + "() expects a whole number as " + what + ", got " + n);
        }
        return n.longValue();
    }

    private static String concat(List<Object> args) {
        StringBuilder sb = new StringBuilder();
        for (Object v : args) {
            String s = Values.text(v, "concat()");
            Values.capLength((long) sb.length() + s.length(), "concat()");
            sb.append(s);
        }
        return sb.toString();
    }

    private static Object substr(List<Object> args, long now) {
        String s = str(args, 0, "substr");
        long bound = 1L << 40;
        long start = Math.max(-bound, Math.min(bound, integer(args, 1, "substr", "start")));
        long length = args.size() > 2 ? Math.min(bound, integer(args, 2, "substr", "length")) : bound;
        int count = s.codePointCount(0, s.length());
        long from = Math.max(start, 1) - 1;
        long to = args.size() > 2 ? Math.min(count, Math.max(from, start - 1 + Math.max(length, 0))) : count;
        if (from >= count || to <= from) {
            return "";
        }
        int begin = s.offsetByCodePoints(0, (int) from);
        return s.substring(begin, s.offsetByCodePoints(begin, (int) (to - from)));
    }

    private static String replace(String s, String from, String to) {
        if (from.isEmpty()) {
            return s;
        }
        long occurrences = 0;
        for (int i = s.indexOf(from); i >= 0; i = s.indexOf(from, i + from.length())) {
            occurrences++;
        }
        Values.capLength(s.length() + occurrences * (to.length() - from.length()), "replace()");
        return s.replace(from, to);
    }

    private static Object abs(Number n) {
        if (Values.isIntegral(n)) {
            try {
                return Math.absExact(n.longValue());
            } catch (ArithmeticException e) {
                throw new RuleEvalException("integer overflow: abs(" + n + ") does not fit in a long");
            }
        }
        return Math.abs(n.doubleValue());
    }

    private static Object round(List<Object> args, long now) {
        Number n = num(args, 0, "round");
        long digits = args.size() > 1 ? integer(args, 1, "round", "digits") : 0;
        if (digits < -18 || digits > 18) {
            throw new RuleEvalException("round() digits must be between -18 and 18, got " + digits);
        }
        if (Values.isIntegral(n) && digits >= 0) {
            return n.longValue();
        }
        BigDecimal d = n instanceof Double || n instanceof Float ? BigDecimal.valueOf(n.doubleValue()) : Values.toDecimal(n);
        BigDecimal rounded = d.setScale((int) digits, RoundingMode.HALF_UP);
        if (digits > 0) {
            return rounded.doubleValue();
        }
        try {
            return rounded.longValueExact();
        } catch (ArithmeticException e) {
            throw new RuleEvalException("round(" + n + ") does not fit in a long");
        }
    }

    private static long whole(double d, Number original, String fn) {
        if (Values.isIntegral(original)) {
            return original.longValue();
        }
        if (!(d >= Long.MIN_VALUE && d < 0x1p63)) {
            throw new RuleEvalException(fn + "(" + original + ") does not fit in a long");
        }
        return (long) d;
    }

    private static double sqrt(Number n) {
        if (n.doubleValue() < 0) {
            throw new RuleEvalException("sqrt() of a negative number: " + n);
        }
        return Math.sqrt(n.doubleValue());
    }

    private static Object power(Number x, Number y) {
        double result = Values.finite(Math.pow(x.doubleValue(), y.doubleValue()), "power(" + x + ", " + y + ")");
        boolean exactLong = Values.isIntegral(x) && Values.isIntegral(y) && y.longValue() >= 0 && Math.abs(result) < 0x1p53;
        return exactLong ? (Object) (long) result : (Object) result;
    }

    /** A checked date pattern and zone. */
    private record Formatter(DateTimeFormatter formatter, ZoneId zone) {
    }

    private static Formatter formatter(String pattern, String zone) {
        if (pattern.length() > Limits.MAX_DATE_PATTERN_LENGTH) {
            throw new RuleEvalException("format_date() pattern is longer than " + Limits.MAX_DATE_PATTERN_LENGTH + " characters");
        }
        DateTimeFormatter formatter;
        try {
            formatter = DateTimeFormatter.ofPattern(pattern, Locale.ROOT);
        } catch (IllegalArgumentException e) {
            throw new RuleEvalException("format_date() pattern '" + Token.shorten(pattern) + "' is invalid: " + e.getMessage());
        }
        try {
            return new Formatter(formatter, zone.equals("UTC") ? ZoneOffset.UTC : ZoneId.of(zone));
        } catch (DateTimeException e) {
            throw new RuleEvalException("format_date() zone '" + Token.shorten(zone) + "' is invalid: " + e.getMessage());
        }
    }

    private static String formatDate(List<Object> args, Formatter bound) {
        Number ms = num(args, 0, "format_date");
        Formatter f = bound != null ? bound
                : formatter(str(args, 1, "format_date"), args.size() > 2 ? str(args, 2, "format_date") : "UTC");
        try {
            long millis = Values.isIntegral(ms) ? ms.longValue() : (long) Math.floor(ms.doubleValue());
            return Values.capped(f.formatter().format(Instant.ofEpochMilli(millis).atZone(f.zone())), "format_date()");
        } catch (DateTimeException | ArithmeticException e) {
            throw new RuleEvalException("format_date() cannot format " + ms + ": " + e.getMessage());
        }
    }

    private static Object toNumber(Object v) {
        if (v instanceof Number n) {
            return Values.number(n, "to_number()");
        }
        String s = Values.string(v, "to_number()").strip();
        if (!looksNumeric(s)) {
            throw new RuleEvalException("to_number(): '" + Token.shorten(s) + "' is not a number");
        }
        boolean integral = s.indexOf('.') < 0 && s.indexOf('e') < 0 && s.indexOf('E') < 0;
        if (integral) {
            try {
                return Long.parseLong(s);
            } catch (NumberFormatException e) {
                // too long for a long: a double below
            }
        }
        return Values.finite(Double.parseDouble(s), "to_number('" + Token.shorten(s) + "')");
    }

    /** [+-]digits[.digits][(e|E)[+-]digits], at most 400 characters. */
    private static boolean looksNumeric(String s) {
        if (s.isEmpty() || s.length() > 400) {
            return false;
        }
        int i = s.charAt(0) == '+' || s.charAt(0) == '-' ? 1 : 0;
        int digits = 0;
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            i++;
            digits++;
        }
        if (i < s.length() && s.charAt(i) == '.') {
            i++;
            while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                i++;
                digits++;
            }
        }
        if (digits == 0) {
            return false;
        }
        if (i < s.length() && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                i++;
            }
            int exp = 0;
            while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                i++;
                exp++;
            }
            if (exp == 0) {
                return false;
            }
        }
        return i == s.length();
    }
}
