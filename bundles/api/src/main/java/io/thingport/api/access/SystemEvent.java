package io.thingport.api.access;

import java.time.Instant;

/**
 * Something the platform itself did or met: a network component or gateway started, stopped or failed, a protocol
 * package added, updated or removed, a configuration changed, a rule failed, an error.
 *
 * @param id        its id in the log (0 before it is stored); newer events have larger ids
 * @param timestamp when it happened
 * @param level     {@code INFO}, {@code WARN} or {@code ERROR}
 * @param category  {@code component}, {@code gateway}, {@code protocol}, {@code config}, {@code rule},
 *                  {@code access} or {@code error}
 * @param source    what it is about: a component's, gateway's, package's or rule's name
 * @param message   what happened, for people
 */
public record SystemEvent(long id, Instant timestamp, String level, String category, String source, String message) {
    public static final String INFO = "INFO";
    public static final String WARN = "WARN";
    public static final String ERROR = "ERROR";
}
