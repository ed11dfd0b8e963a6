package io.thingport.network.netty;

import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import java.io.IOException;
import java.net.InetSocketAddress;
import javax.net.ssl.SSLException;

/**
 * What a failure (of the pipeline, the login, an uplink's stage) means for the frame connection it closes: the
 * {@link CloseCause} (for the transport's goodbye), the reason recorded for the device log, and how the server logs
 * it. Pure: {@link FrameConnectionHandler} logs and closes.
 *
 * @param cause    why the connection closes
 * @param reason   the close reason for the device log
 * @param severity how the server logs the failure
 * @param log      the log message, after the component's name
 * @param stack    the failure whose stack trace is logged, or {@code null} for the message alone
 */
record FrameFailure(CloseCause cause, String reason, Severity severity, String log, Throwable stack) {
    /** How the server logs a failure: expected ones without a stack trace, unexpected ones as warnings. */
    enum Severity { DEBUG, INFO, WARN }

    /**
     * The pipeline failed (an exception reached the handler): a too-long frame, a TLS failure anywhere in the causes,
     * a malformed frame, an I/O error, or anything else.
     */
    static FrameFailure ofPipeline(Throwable error, String connectionId, InetSocketAddress remote, int maxMessageLength) {
        SSLException ssl = find(error, SSLException.class);
        if (error instanceof TooLongFrameException) {
            return new FrameFailure(CloseCause.TOO_LARGE, "frame longer than maxMessageLength " + maxMessageLength + " bytes",
                    Severity.INFO, "connection " + connectionId + " from " + remote + " sent a frame longer than maxMessageLength "
                            + maxMessageLength + " bytes (" + error.getMessage() + ")", null);
        }
        if (ssl != null) {
            return new FrameFailure(CloseCause.PROTOCOL_ERROR, "TLS failed: " + ssl.getMessage(), Severity.INFO,
                    "TLS with " + remote + " failed: " + ssl.getMessage(), null);
        }
        if (error instanceof CorruptedFrameException || error instanceof DecoderException) {
            return new FrameFailure(CloseCause.PROTOCOL_ERROR, "malformed frame: " + error.getMessage(), Severity.INFO,
                    "malformed frame from " + remote + ": " + error.getMessage(), null);
        }
        if (error instanceof IOException) {
            return new FrameFailure(CloseCause.PROTOCOL_ERROR, "connection error: " + error.getMessage(), Severity.DEBUG,
                    "connection " + connectionId + " failed: " + error, null);
        }
        return new FrameFailure(CloseCause.PROTOCOL_ERROR, "connection error: " + error, Severity.WARN,
                "connection " + connectionId + " failed", error);
    }

    /**
     * The stage of an uplink failed for good ({@link UplinkOutcome#FORBIDDEN} or {@link UplinkOutcome#NOT_STORED}; an
     * {@code UNAVAILABLE} one is offered again, not a failure): {@code FORBIDDEN} broke the access rules; anything else
     * means the platform could not store the message, and the connection closes so that the device sends it again.
     */
    static FrameFailure ofUplink(Throwable error, String connectionId) {
        Throwable cause = UplinkOutcome.cause(error);
        if (UplinkOutcome.of(error) == UplinkOutcome.FORBIDDEN) {
            return new FrameFailure(CloseCause.FORBIDDEN, "forbidden: " + cause.getMessage(), Severity.INFO,
                    "connection " + connectionId + " broke the access rules: " + cause.getMessage(), null);
        }
        return new FrameFailure(CloseCause.PLATFORM_ERROR, "the platform could not store a message: " + cause.getMessage(),
                Severity.WARN, "could not store a message of connection " + connectionId + ": " + cause.getMessage(), null);
    }

    /** Checking the login failed ({@code error}) or gave no result ({@code error} is {@code null}). */
    static FrameFailure ofLoginCheck(Throwable error, InetSocketAddress remote) {
        Throwable cause = UplinkOutcome.cause(error);
        return new FrameFailure(CloseCause.REFUSED, "authentication failed: " + (cause == null ? "no result" : cause.getMessage()),
                Severity.WARN, "checking the login of " + remote + " failed: " + (cause == null ? "no result" : cause.toString()), null);
    }

    /** The accepted or refused login's reply cannot be framed. */
    static FrameFailure ofLoginReply(RuntimeException error, InetSocketAddress remote) {
        return new FrameFailure(CloseCause.PROTOCOL_ERROR, "the login reply cannot be sent: " + error.getMessage(), Severity.WARN,
                "the login reply to " + remote + " cannot be sent: " + error.getMessage(), null);
    }

    /** The login was refused, for {@code detail}. */
    static FrameFailure ofRefusal(String detail, InetSocketAddress remote) {
        return new FrameFailure(CloseCause.REFUSED, "login refused: " + detail, Severity.INFO,
                "login from " + remote + " refused: " + detail, null);
    }

    /** The platform threw when told that the connection logged in. */
    static FrameFailure ofConnected(RuntimeException error, String connectionId) {
        return new FrameFailure(CloseCause.PLATFORM_ERROR, "the platform could not take the connection: " + error.getMessage(),
                Severity.WARN, "the platform failed to take connection " + connectionId, error);
    }

    private static <T extends Throwable> T find(Throwable error, Class<T> type) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
