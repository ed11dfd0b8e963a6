package io.thingport.core.internal.storage;

import java.util.Arrays;

/** One SQL statement and the values of its {@code ?} parameters, in order. */
public record Sql(String text, Object... params) {
    @Override
    public boolean equals(Object o) {
        return o instanceof Sql s && s.text.equals(text) && Arrays.equals(s.params, params);
    }

    @Override
    public int hashCode() {
        return 31 * text.hashCode() + Arrays.hashCode(params);
    }

    @Override
    public String toString() {
        return text + " " + Arrays.toString(params);
    }
}
