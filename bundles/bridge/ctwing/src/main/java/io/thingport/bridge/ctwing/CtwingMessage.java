package io.thingport.bridge.ctwing;

/**
 * One CTWing subscription push, parsed into a platform-neutral, immutable value. {@link #messageType()} is the
 * {@code messageType} of the wire; {@link #dedupKey()} identifies the push for idempotent handling (CTWing retries a push
 * up to 3 times): the same push always gives the same key, whatever the order of its JSON fields, and two different
 * reports give different keys.
 */
public sealed interface CtwingMessage permits DataReport, DataReportBatch, EventReport, DeviceStatusReport, CommandResponse {
    /** The wire {@code messageType}, e.g. {@code dataReport}. */
    String messageType();

    /** The CTWing product id as sent (a decimal string); empty when the push did not carry one. */
    String productId();

    /** The CTWing tenant id as sent; empty when the push did not carry one. */
    String tenantId();

    /** SHA-256 hex of a canonical tuple of this message's fields: stable across retries and JSON field order. */
    String dedupKey();
}
