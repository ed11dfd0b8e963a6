package io.thingport.network.netty;

/**
 * Why a {@link FrameConnectionHandler} closes a connection; a transport may turn it into a goodbye message (a
 * WebSocket close frame with a status code) through {@link FrameWriter#goodbye}.
 */
public enum CloseCause {
    /** {@link io.thingport.api.network.TransportConnection#close} by the platform. */
    NORMAL,
    /** The network component stops. */
    SHUTDOWN,
    /** The login frame was refused, or checking it failed. */
    REFUSED,
    /** An uplink broke the access rules (its stage failed with {@code FORBIDDEN}). */
    FORBIDDEN,
    /** A frame longer than {@code maxMessageLength}. */
    TOO_LARGE,
    /** The platform could not store an uplink; the device should send it again. */
    PLATFORM_ERROR,
    /** {@code authTimeout} or {@code idleTimeout}. */
    TIMEOUT,
    /** Malformed input (a corrupt length field, a TLS failure, an I/O error). */
    PROTOCOL_ERROR
}
