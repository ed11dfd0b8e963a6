package io.thingport.api.access;

import java.time.Instant;

/**
 * Which system-log events to return, newest first: every criterion may be {@code null} (no restriction).
 *
 * @param from     not before this time
 * @param to       before this time
 * @param level    this level or a more severe one ({@code INFO} &lt; {@code WARN} &lt; {@code ERROR})
 * @param category exactly this category
 * @param source   exactly this source
 * @param beforeId only events older than this id: the cursor of the next page
 * @param limit    at most this many events (1 to {@link AccessQuery#MAX_LIMIT})
 */
public record SystemLogQuery(Instant from, Instant to, String level, String category, String source, Long beforeId,
        int limit) {
}
