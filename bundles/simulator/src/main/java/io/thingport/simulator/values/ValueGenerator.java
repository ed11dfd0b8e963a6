package io.thingport.simulator.values;

import io.thingport.api.model.DataType;
import io.thingport.api.model.EventSpec;
import io.thingport.api.model.Field;
import io.thingport.api.model.FunctionSpec;
import io.thingport.api.model.PropertySpec;
import io.thingport.api.model.ThingModel;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;

/**
 * Values a simulated device reports: random, and valid for the thing model (a generated value passes
 * {@link DataType#normalize}). Numbers lie within min/max (0..100 where the model gives no bound, 100 from the one
 * bound it gives) and on the step; floats without a step have two decimals; strings, binaries and arrays stay within
 * their maxLength; dates are the clock's now; objects carry every field. Not thread-safe (its random generator is its
 * own): one per device or per thread.
 */
public final class ValueGenerator {
    /** The span of a number the thing model bounds on one side only, or not at all. */
    static final BigDecimal DEFAULT_SPAN = BigDecimal.valueOf(100);
    private static final int MAX_STRING = 16;
    private static final int MAX_BINARY = 8;
    private static final int MAX_ARRAY = 3;
    private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".toCharArray();
    private static final BigDecimal INT_MIN = BigDecimal.valueOf(Integer.MIN_VALUE);
    private static final BigDecimal INT_MAX = BigDecimal.valueOf(Integer.MAX_VALUE);
    private static final BigDecimal LONG_MIN = BigDecimal.valueOf(Long.MIN_VALUE);
    private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);

    private final RandomGenerator random;
    private final LongSupplier clock;

    /** @param clock epoch milliseconds, for date values */
    public ValueGenerator(RandomGenerator random, LongSupplier clock) {
        this.random = Objects.requireNonNull(random, "random");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** A value of every property of the model, in the model's order. */
    public Map<String, Object> properties(ThingModel model) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (PropertySpec p : model.properties()) {
            out.put(p.id(), value(p.type()));
        }
        return out;
    }

    /** An event's data: a value of its output type, or an empty object when it declares none. */
    public Object eventData(EventSpec event) {
        return event.output() == null ? Map.of() : value(event.output());
    }

    /** A function's output: a value of its output type, or an empty object when it declares none. */
    public Object functionOutput(FunctionSpec function) {
        return function.output() == null ? Map.of() : value(function.output());
    }

    /**
     * A random value of the type in its canonical JSON form: Boolean, String (enum key, string, Base64), Long (int,
     * long, date), Double (float, double), List, Map.
     */
    public Object value(DataType type) {
        return switch (type.kind()) {
            case BOOL -> random.nextBoolean();
            case ENUM -> List.copyOf(type.enumValues().keySet()).get(random.nextInt(type.enumValues().size()));
            case INT -> integral(type, INT_MIN, INT_MAX);
            case LONG -> integral(type, LONG_MIN, LONG_MAX);
            case FLOAT, DOUBLE -> decimal(type);
            case STRING -> string(type.maxLength());
            case DATE -> clock.getAsLong();
            case BINARY -> binary(type.maxLength());
            case ARRAY -> array(type);
            case OBJECT -> object(type.fields());
        };
    }

    private Long integral(DataType type, BigDecimal typeMin, BigDecimal typeMax) {
        BigDecimal[] range = range(type, typeMin, typeMax);
        BigDecimal step = type.step() == null ? BigDecimal.ONE : type.step();
        return onStep(type, range[0], range[1], step).setScale(0, RoundingMode.UNNECESSARY).longValueExact();
    }

    private Double decimal(DataType type) {
        BigDecimal[] range = range(type, BigDecimal.valueOf(-Double.MAX_VALUE), BigDecimal.valueOf(Double.MAX_VALUE));
        if (type.step() != null) {
            return onStep(type, range[0], range[1], type.step()).doubleValue();
        }
        BigDecimal lo = range[0];
        BigDecimal hi = range[1];
        BigDecimal v = lo.add(hi.subtract(lo).multiply(BigDecimal.valueOf(random.nextDouble()))).setScale(2, RoundingMode.HALF_UP);
        if (v.compareTo(lo) < 0) {
            v = lo;
        } else if (v.compareTo(hi) > 0) {
            v = hi;
        }
        return v.doubleValue();
    }

    /** The bounds to draw from: the model's, filled in by {@link #DEFAULT_SPAN}, within the type's own. */
    private static BigDecimal[] range(DataType type, BigDecimal typeMin, BigDecimal typeMax) {
        BigDecimal lo = type.min();
        BigDecimal hi = type.max();
        if (lo == null && hi == null) {
            lo = BigDecimal.ZERO;
            hi = DEFAULT_SPAN;
        } else if (lo == null) {
            lo = hi.subtract(DEFAULT_SPAN);
        } else if (hi == null) {
            hi = lo.add(DEFAULT_SPAN);
        }
        return new BigDecimal[] {lo.max(typeMin), hi.min(typeMax)};
    }

    /** A random {@code base + k * step} within [lo, hi], base being the model's min (or 0, as the model's rule says). */
    private BigDecimal onStep(DataType type, BigDecimal lo, BigDecimal hi, BigDecimal step) {
        BigDecimal base = type.min() == null ? BigDecimal.ZERO : type.min();
        BigInteger kLo = lo.subtract(base).divide(step, 0, RoundingMode.CEILING).toBigIntegerExact();
        BigInteger kHi = hi.subtract(base).divide(step, 0, RoundingMode.FLOOR).toBigIntegerExact();
        if (kHi.compareTo(kLo) < 0) {
            return lo; // no value on the step within the range: the model cannot be satisfied, report its bound
        }
        BigInteger count = kHi.subtract(kLo).add(BigInteger.ONE);
        BigInteger k = kLo.add(randomBelow(count));
        return base.add(step.multiply(new BigDecimal(k)));
    }

    private BigInteger randomBelow(BigInteger bound) {
        if (bound.bitLength() < 63) {
            return BigInteger.valueOf(random.nextLong(bound.longValue()));
        }
        BigInteger r;
        do {
            byte[] bytes = new byte[bound.bitLength() / 8 + 1];
            random.nextBytes(bytes);
            r = new BigInteger(1, bytes).shiftRight(bytes.length * 8 - bound.bitLength());
        } while (r.compareTo(bound) >= 0);
        return r;
    }

    private String string(Integer maxLength) {
        int max = maxLength == null ? MAX_STRING : Math.min(maxLength, MAX_STRING);
        int length = 1 + random.nextInt(max);
        char[] out = new char[length];
        for (int i = 0; i < length; i++) {
            out[i] = ALPHABET[random.nextInt(ALPHABET.length)];
        }
        return new String(out);
    }

    private String binary(Integer maxLength) {
        int max = maxLength == null ? MAX_BINARY : Math.min(maxLength, MAX_BINARY);
        byte[] bytes = new byte[1 + random.nextInt(max)];
        random.nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    private List<Object> array(DataType type) {
        int max = type.maxLength() == null ? MAX_ARRAY : Math.min(type.maxLength(), MAX_ARRAY);
        int length = 1 + random.nextInt(max);
        List<Object> out = new ArrayList<>(length);
        for (int i = 0; i < length; i++) {
            out.add(value(type.elementType()));
        }
        return out;
    }

    private Map<String, Object> object(List<Field> fields) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Field f : fields) {
            out.put(f.id(), value(f.type()));
        }
        return out;
    }
}
