package io.thingport.rest.internal.http;

import java.util.List;
import java.util.function.ToLongFunction;

/**
 * Cursor paging of a log the platform queries newest first (the access log, the system log): a page is at most
 * {@code limit} records, and its cursor is the id of its last (oldest) record, which the next query takes as "older than
 * this id". A full page has a cursor; the page after it may then be empty. Records written meanwhile never shift a page.
 */
public final class LogPages {
    private LogPages() {
    }

    /** The page of {@code records} (as the log answered a query for {@code limit}), with the next page's cursor. */
    public static <T> Page<T> of(List<T> records, ToLongFunction<T> id, int limit) {
        String next = records.isEmpty() || records.size() < limit ? null
                : String.valueOf(id.applyAsLong(records.get(records.size() - 1)));
        return new Page<>(records, next);
    }
}
