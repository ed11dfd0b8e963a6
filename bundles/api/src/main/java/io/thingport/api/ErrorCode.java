package io.thingport.api;

import java.util.Locale;

/**
 * Why an operation failed. Each code has a stable wire name ({@link #wireName()}) used in the official protocol's
 * {@code /error} replies, in device logs and in REST error bodies. Edges map a code to their own status (CONNACK
 * return code, CoAP status, shell message); the HTTP-style status, which both the REST API and the device shadow's
 * {@code rejected} documents carry, is {@link #httpStatus()}.
 */
public enum ErrorCode {
    /** An argument given by an operator or application is missing or not acceptable. */
    INVALID_ARGUMENT,
    /** A value does not satisfy the thing model (type, range, enum, length, access). */
    INVALID_VALUE,
    /** An identifier that the thing model does not define. */
    UNKNOWN_IDENTIFIER,
    /** A payload that cannot be parsed at all. */
    MALFORMED,
    /** A topic or path the protocol does not know. */
    UNSUPPORTED_TOPIC,
    /** The referenced product, device or other object does not exist. */
    NOT_FOUND,
    /** The operation conflicts with the current state (duplicate id, object in use, ...). */
    CONFLICT,
    /** The caller may not do this (foreign topic, disabled device, ...). */
    FORBIDDEN,
    /** The device is not connected and its product does not queue commands. */
    DEVICE_OFFLINE,
    /** The device did not reply in time. */
    TIMEOUT,
    /** The device replied with {@code success:false}. */
    DEVICE_ERROR,
    /** The message or payload exceeds a configured limit. */
    TOO_LARGE,
    /** Not supported by this protocol, transport or version. */
    UNSUPPORTED,
    /** A fault inside the platform (storage, bug). */
    INTERNAL,
    /**
     * The platform is at one of its configured bounds (in-flight uplinks, storage queue, login checks) and did not take
     * the request: nothing of it was stored or logged; the caller may try again shortly (back-pressure, not a fault).
     */
    UNAVAILABLE,
    /** The caller did not prove who it is: no credentials, wrong ones, or a signed request that is stale or replayed. */
    UNAUTHENTICATED,
    /** The object changed since the caller read it (an {@code If-Match} that no longer matches). */
    PRECONDITION_FAILED,
    /** Too many failed logins from this client or source: refused for a while, whatever the credentials. */
    RATE_LIMITED;

    /** The HTTP status that stands for this code (REST answers, shadow {@code rejected} documents). */
    public int httpStatus() {
        return switch (this) {
            case INVALID_ARGUMENT, INVALID_VALUE, UNKNOWN_IDENTIFIER, MALFORMED, UNSUPPORTED_TOPIC, UNSUPPORTED -> 400;
            case UNAUTHENTICATED -> 401;
            case FORBIDDEN -> 403;
            case NOT_FOUND -> 404;
            case CONFLICT, DEVICE_OFFLINE -> 409;
            case PRECONDITION_FAILED -> 412;
            case TOO_LARGE -> 413;
            case RATE_LIMITED -> 429;
            case DEVICE_ERROR -> 502;
            case UNAVAILABLE -> 503;
            case TIMEOUT -> 504;
            case INTERNAL -> 500;
        };
    }

    /** The lower-case name used on the wire, e.g. {@code invalid_value}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
