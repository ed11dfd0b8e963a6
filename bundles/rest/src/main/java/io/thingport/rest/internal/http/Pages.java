package io.thingport.rest.internal.http;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * Cursor paging of a list the platform holds whole (products, devices of a product, rules, ...): items in the order of
 * their id, a page starting after the id the cursor names. A cursor is the base64url of that id; a page is stable
 * while items are added or removed (nothing is skipped or repeated that stayed in place).
 */
public final class Pages {
    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;

    private Pages() {
    }

    /** The limit asked for, or the default; refused with a field error outside 1..{@link #MAX_LIMIT}. */
    public static int limit(Integer asked) {
        if (asked == null) {
            return DEFAULT_LIMIT;
        }
        if (asked < 1 || asked > MAX_LIMIT) {
            throw new FieldException("limit", "limit must be between 1 and " + MAX_LIMIT + ", not " + asked);
        }
        return asked;
    }

    public static <T> Page<T> of(List<T> all, Function<T, String> id, String cursor, Integer limit) {
        int max = limit(limit);
        String after = cursor == null || cursor.isEmpty() ? null : decode(cursor);
        List<T> sorted = all.stream().sorted(Comparator.comparing(id))
                .filter(t -> after == null || id.apply(t).compareTo(after) > 0).limit(max + 1L).toList();
        if (sorted.size() <= max) {
            return new Page<>(sorted, null);
        }
        List<T> page = sorted.subList(0, max);
        return new Page<>(page, encode(id.apply(page.get(max - 1))));
    }

    public static String encode(String id) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(id.getBytes(StandardCharsets.UTF_8));
    }

    public static String decode(String cursor) {
        try {
            return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new FieldException("cursor", "cursor " + cursor + " is not one this API issued");
        }
    }
}
