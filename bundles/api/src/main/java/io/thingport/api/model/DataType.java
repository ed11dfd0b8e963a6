package io.thingport.api.model;

import io.thingport.api.ThingportException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The type of a property, function input/output, event output or object field, with its constraints.
 *
 * <p>{@link #normalize(Object, String)} checks a decoded JSON value (Boolean, Number, String, List, Map) and returns
 * its canonical Java form: {@code Boolean} for bool, {@code String} (the enum key) for enum, {@code Long} for int,
 * long and date (epoch milliseconds), {@code Double} for float and double, {@code String} for string and binary
 * (Base64), {@code List} for array and {@code Map} for object.
 *
 * @param kind        the base type
 * @param min         inclusive minimum of a numeric type, or {@code null}
 * @param max         inclusive maximum of a numeric type, or {@code null}
 * @param step        a numeric value must be {@code min + k * step} (or {@code k * step} without min), or {@code null}
 * @param unit        display unit, or {@code null}
 * @param enumValues  for enum: value → text, in order; otherwise empty
 * @param maxLength   string length in characters, binary length in bytes, array length in elements, or {@code null}
 * @param elementType for array: the element type; otherwise {@code null}
 * @param fields      for object: its fields; otherwise empty
 */
public record DataType(Kind kind, BigDecimal min, BigDecimal max, BigDecimal step, String unit,
                       Map<String, String> enumValues, Integer maxLength, DataType elementType, List<Field> fields) {

    /** The base types, with their wire names. */
    public enum Kind {
        BOOL, ENUM, INT, LONG, FLOAT, DOUBLE, STRING, DATE, BINARY, ARRAY, OBJECT;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public boolean isNumeric() {
            return this == INT || this == LONG || this == FLOAT || this == DOUBLE;
        }

        /** Parses a wire name; the exception lists the valid names. */
        public static Kind fromWire(String name) {
            for (Kind k : values()) {
                if (k.wireName().equals(name)) {
                    return k;
                }
            }
            throw ThingportException.invalidArgument("unknown data type '" + name
                    + "' (expected one of bool, enum, int, long, float, double, string, date, binary, array, object)");
        }
    }

    private static final BigDecimal INT_MIN = BigDecimal.valueOf(Integer.MIN_VALUE);
    private static final BigDecimal INT_MAX = BigDecimal.valueOf(Integer.MAX_VALUE);
    private static final BigDecimal LONG_MIN = BigDecimal.valueOf(Long.MIN_VALUE);
    private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);

    public DataType {
        Objects.requireNonNull(kind, "kind");
        enumValues = enumValues == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(enumValues));
        fields = fields == null ? List.of() : List.copyOf(fields);
    }

    public static DataType of(Kind kind) {
        return new DataType(kind, null, null, null, null, null, null, null, null);
    }

    public static DataType number(Kind kind, Number min, Number max, Number step, String unit) {
        return new DataType(kind, dec(min), dec(max), dec(step), unit, null, null, null, null);
    }

    public static DataType enumOf(Map<String, String> values) {
        return new DataType(Kind.ENUM, null, null, null, null, values, null, null, null);
    }

    public static DataType string(Integer maxLength) {
        return new DataType(Kind.STRING, null, null, null, null, null, maxLength, null, null);
    }

    public static DataType arrayOf(DataType element, Integer maxLength) {
        return new DataType(Kind.ARRAY, null, null, null, null, null, maxLength, element, null);
    }

    public static DataType objectOf(List<Field> fields) {
        return new DataType(Kind.OBJECT, null, null, null, null, null, null, null, fields);
    }

    private static BigDecimal dec(Number n) {
        return n == null ? null : new BigDecimal(n.toString());
    }

    /**
     * Checks that this type definition is itself sound (ranges ordered, enum not empty, array has an element type,
     * ...) and returns the problems found, each naming {@code path}.
     */
    public List<String> definitionProblems(String path) {
        List<String> problems = new ArrayList<>();
        if ((min != null || max != null || step != null) && !kind.isNumeric()) {
            problems.add(path + ": min/max/step apply only to numeric types, not " + kind.wireName());
        }
        if (min != null && max != null && min.compareTo(max) > 0) {
            problems.add(path + ": min " + min.toPlainString() + " is greater than max " + max.toPlainString());
        }
        if (step != null && step.signum() <= 0) {
            problems.add(path + ": step must be positive, got " + step.toPlainString());
        }
        if ((kind == Kind.INT || kind == Kind.LONG) && step != null && step.stripTrailingZeros().scale() > 0) {
            problems.add(path + ": the step of an integer type must be a whole number, got " + step.toPlainString());
        }
        if (kind == Kind.ENUM && enumValues.isEmpty()) {
            problems.add(path + ": an enum needs at least one value");
        }
        if (kind != Kind.ENUM && !enumValues.isEmpty()) {
            problems.add(path + ": enum values apply only to the enum type");
        }
        if (maxLength != null && maxLength <= 0) {
            problems.add(path + ": maxLength must be positive, got " + maxLength);
        }
        if (maxLength != null && kind != Kind.STRING && kind != Kind.BINARY && kind != Kind.ARRAY) {
            problems.add(path + ": maxLength applies only to string, binary and array");
        }
        if (kind == Kind.ARRAY) {
            if (elementType == null) {
                problems.add(path + ": an array needs an element type");
            } else {
                problems.addAll(elementType.definitionProblems(path + "[]"));
            }
        }
        if (kind == Kind.OBJECT) {
            if (fields.isEmpty()) {
                problems.add(path + ": an object needs at least one field");
            }
            Set<String> seen = new HashSet<>();
            for (Field f : fields) {
                if (!seen.add(f.id())) {
                    problems.add(path + ": field " + f.id() + " is defined twice");
                }
                problems.addAll(f.type().definitionProblems(path + "." + f.id()));
            }
        }
        return problems;
    }

    /**
     * Checks {@code value} against this type and returns its canonical form.
     *
     * @param value a decoded JSON value
     * @param field names the value in the error, e.g. {@code property temp}
     * @throws ValidationException naming {@code field} and the broken rule
     */
    public Object normalize(Object value, String field) {
        if (value == null) {
            throw invalid(field, "a value is required (got null)");
        }
        return switch (kind) {
            case BOOL -> toBool(value, field);
            case ENUM -> toEnum(value, field);
            case INT -> checkNumber(toLong(value, field, INT_MIN, INT_MAX, "int"), field);
            case LONG -> checkNumber(toLong(value, field, LONG_MIN, LONG_MAX, "long"), field);
            case FLOAT, DOUBLE -> checkNumber(toDouble(value, field), field);
            case STRING -> toStringValue(value, field);
            case DATE -> toDate(value, field);
            case BINARY -> toBinary(value, field);
            case ARRAY -> toArray(value, field);
            case OBJECT -> toObject(value, field);
        };
    }

    private static ValidationException invalid(String field, String rule) {
        return new ValidationException(new Violation(Violation.ErrorKind.INVALID_VALUE, field, rule));
    }

    private static String show(Object value) {
        String s = value instanceof String ? "\"" + value + "\"" : String.valueOf(value);
        return s.length() > 40 ? s.substring(0, 37) + "..." : s;
    }

    private static Boolean toBool(Object value, String field) {
        if (value instanceof Boolean b) {
            return b;
        }
        if (value instanceof Number n && (isIntegral(n)) && (n.longValue() == 0 || n.longValue() == 1)) {
            return n.longValue() == 1;
        }
        throw invalid(field, show(value) + " is not a bool (expected true, false, 0 or 1)");
    }

    private String toEnum(Object value, String field) {
        String key;
        if (value instanceof String s) {
            key = s;
        } else if (value instanceof Number n && isIntegral(n)) {
            key = Long.toString(n.longValue());
        } else {
            throw invalid(field, show(value) + " is not an enum value (expected one of " + enumValues.keySet() + ")");
        }
        if (enumValues.containsKey(key)) {
            return key;
        }
        // A label stands for its value (mode=eco for "1":"eco"), when exactly one value has it; values win over labels.
        String byLabel = null;
        for (Map.Entry<String, String> e : enumValues.entrySet()) {
            if (key.equals(e.getValue())) {
                if (byLabel != null) {
                    throw invalid(field, show(value) + " is the label of several enum values: give the value " + enumValues);
                }
                byLabel = e.getKey();
            }
        }
        if (byLabel == null) {
            throw invalid(field, show(value) + " is not one of the enum values " + enumValues.keySet() + " nor their labels "
                    + enumValues.values());
        }
        return byLabel;
    }

    private static boolean isIntegral(Number n) {
        if (n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte || n instanceof BigInteger) {
            return true;
        }
        if (n instanceof Double || n instanceof Float) {
            double d = n.doubleValue();
            return !Double.isInfinite(d) && d == Math.rint(d);
        }
        if (n instanceof BigDecimal bd) {
            return bd.stripTrailingZeros().scale() <= 0;
        }
        return false;
    }

    private static BigDecimal toDecimal(Number n) {
        if (n instanceof BigDecimal bd) {
            return bd;
        }
        if (n instanceof BigInteger bi) {
            return new BigDecimal(bi);
        }
        if (n instanceof Double || n instanceof Float) {
            return BigDecimal.valueOf(n.doubleValue());
        }
        return BigDecimal.valueOf(n.longValue());
    }

    private static Long toLong(Object value, String field, BigDecimal lo, BigDecimal hi, String typeName) {
        if (!(value instanceof Number n) || (n instanceof Double d && (d.isNaN() || d.isInfinite()))) {
            throw invalid(field, show(value) + " is not a number (" + typeName + ")");
        }
        if (!isIntegral(n)) {
            throw invalid(field, show(value) + " is not a whole number (" + typeName + ")");
        }
        BigDecimal d = toDecimal(n);
        if (d.compareTo(lo) < 0 || d.compareTo(hi) > 0) {
            throw invalid(field, show(value) + " does not fit in a " + typeName);
        }
        return d.longValueExact();
    }

    private static Double toDouble(Object value, String field) {
        if (!(value instanceof Number n)) {
            throw invalid(field, show(value) + " is not a number");
        }
        double d = n.doubleValue();
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            throw invalid(field, show(value) + " is not a finite number");
        }
        return d;
    }

    private <T extends Number> T checkNumber(T value, String field) {
        BigDecimal d = toDecimal(value);
        if (min != null && d.compareTo(min) < 0) {
            throw invalid(field, plain(d) + " is below the minimum " + min.toPlainString());
        }
        if (max != null && d.compareTo(max) > 0) {
            throw invalid(field, plain(d) + " is above the maximum " + max.toPlainString());
        }
        if (step != null) {
            BigDecimal base = min == null ? BigDecimal.ZERO : min;
            if (d.subtract(base).remainder(step).signum() != 0) {
                throw invalid(field, plain(d) + " is not on the step " + step.toPlainString()
                        + (min == null ? "" : " from " + min.toPlainString()));
            }
        }
        return value;
    }

    private static String plain(BigDecimal d) {
        return d.stripTrailingZeros().toPlainString();
    }

    private String toStringValue(Object value, String field) {
        if (!(value instanceof String s)) {
            throw invalid(field, show(value) + " is not a string");
        }
        int length = s.codePointCount(0, s.length());
        if (maxLength != null && length > maxLength) {
            throw invalid(field, "a string of " + length + " characters is longer than the maximum " + maxLength);
        }
        return s;
    }

    private static Long toDate(Object value, String field) {
        if (value instanceof Number n && isIntegral(n)) {
            return n.longValue();
        }
        if (value instanceof String s) {
            try {
                return OffsetDateTime.parse(s).toInstant().toEpochMilli();
            } catch (DateTimeException e) {
                try {
                    return Instant.parse(s).toEpochMilli();
                } catch (DateTimeException e2) {
                    // fall through to the error below
                }
            }
        }
        throw invalid(field, show(value) + " is not a date (expected epoch milliseconds or an ISO-8601 date-time)");
    }

    private String toBinary(Object value, String field) {
        if (!(value instanceof String s)) {
            throw invalid(field, show(value) + " is not binary (expected a Base64 string)");
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            throw invalid(field, show(value) + " is not valid Base64");
        }
        if (maxLength != null && bytes.length > maxLength) {
            throw invalid(field, bytes.length + " bytes is longer than the maximum " + maxLength + " bytes");
        }
        return s;
    }

    private List<Object> toArray(Object value, String field) {
        if (!(value instanceof List<?> list)) {
            throw invalid(field, show(value) + " is not an array");
        }
        if (maxLength != null && list.size() > maxLength) {
            throw invalid(field, "an array of " + list.size() + " elements is longer than the maximum " + maxLength);
        }
        List<Object> out = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            out.add(elementType.normalize(list.get(i), field + "[" + i + "]"));
        }
        return Collections.unmodifiableList(out);
    }

    private Map<String, Object> toObject(Object value, String field) {
        if (!(value instanceof Map<?, ?> map)) {
            throw invalid(field, show(value) + " is not an object");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String key = String.valueOf(e.getKey());
            Field f = fields.stream().filter(x -> x.id().equals(key)).findFirst().orElseThrow(() ->
                    new ValidationException(new Violation(Violation.ErrorKind.UNKNOWN_IDENTIFIER, field + "." + key,
                            "the object type has no field " + key)));
            out.put(key, f.type().normalize(e.getValue(), field + "." + key));
        }
        for (Field f : fields) {
            if (f.required() && !out.containsKey(f.id())) {
                throw invalid(field + "." + f.id(), "the field is required");
            }
        }
        return Collections.unmodifiableMap(out);
    }
}
