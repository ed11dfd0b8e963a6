package io.thingport.network.netty;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * What the platform's answer to one uplink ({@code TransportListener.received}) means for the transport, the same for
 * every transport: taken, refused as a breach of the access rules, not taken for now because the platform is at its
 * bound (offer it again after a pause), or not stored (do not acknowledge it).
 */
public enum UplinkOutcome {
    /** The stage completed normally: the message was dealt with durably; acknowledge it. */
    TAKEN,
    /** {@code FORBIDDEN}: the connection broke the access rules; refuse the message as the transport does. */
    FORBIDDEN,
    /**
     * {@code UNAVAILABLE}: the platform is at one of its bounds and took nothing of the message; do not acknowledge
     * it, stop reading and offer it again after a pause (or answer "service unavailable", or drop a datagram).
     */
    UNAVAILABLE,
    /** Any other failure: the platform could not store it; do not acknowledge it, so that the device sends it again. */
    NOT_STORED;

    /** The outcome of a stage that completed with {@code error} ({@code null}: normally). */
    public static UplinkOutcome of(Throwable error) {
        if (error == null) {
            return TAKEN;
        }
        if (cause(error) instanceof ThingportException te) {
            if (te.code() == ErrorCode.FORBIDDEN) {
                return FORBIDDEN;
            }
            if (te.code() == ErrorCode.UNAVAILABLE) {
                return UNAVAILABLE;
            }
        }
        return NOT_STORED;
    }

    /**
     * The platform's error without the wrappers ({@code CompletionException}, {@code ExecutionException}) a stage adds;
     * {@code null} for {@code null}.
     */
    public static Throwable cause(Throwable error) {
        Throwable t = error;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
