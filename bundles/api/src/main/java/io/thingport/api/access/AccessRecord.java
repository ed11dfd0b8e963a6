package io.thingport.api.access;

import java.time.Instant;

/**
 * One call recorded in the access log.
 *
 * @param id         its id in the log (0 before it is stored); newer records have larger ids
 * @param timestamp  when the call started
 * @param channel    {@code api} or {@code shell}
 * @param principal  who called: a user name, an application id, or {@code -} when no one was authenticated
 * @param kind       {@code user}, {@code application} or {@code anonymous}
 * @param action     what was called: {@code GET /api/v1/devices/d1} or the shell command with its secrets masked
 * @param source     the peer's address, or {@code local} for the console
 * @param status     the HTTP status (for the shell: 200 when the command succeeded, 500 when it failed)
 * @param result     {@code ok}, or the error's code ({@code unauthenticated}, {@code not_found}, ...)
 * @param durationMs how long the call took
 */
public record AccessRecord(long id, Instant timestamp, String channel, String principal, String kind, String action,
        String source, int status, String result, long durationMs) {
    public static final String CHANNEL_API = "api";
    public static final String CHANNEL_SHELL = "shell";
}
