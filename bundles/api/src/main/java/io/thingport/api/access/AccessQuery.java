package io.thingport.api.access;

import java.time.Instant;

/**
 * Which access-log records to return, newest first: every criterion may be {@code null} (no restriction).
 *
 * @param from      not before this time
 * @param to        before this time
 * @param channel   {@code api} or {@code shell}
 * @param principal exactly this user or application
 * @param result    {@code ok}, {@code error} (every failure), or one error code
 * @param beforeId  only records older than this id: the cursor of the next page
 * @param limit     at most this many records (1 to {@link #MAX_LIMIT})
 */
public record AccessQuery(Instant from, Instant to, String channel, String principal, String result, Long beforeId,
        int limit) {
    public static final int MAX_LIMIT = 1000;
}
