package io.thingport.bridge.support;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import java.util.Objects;

/**
 * A cloud's push (or URL verification) that is not accepted, for a fault that sending it again cannot mend. The message
 * names the field and the rule; it never holds a token, a key, decrypted content or the body. The push server answers
 * {@link #httpStatus()} and stores nothing of it.
 */
public final class PushRejected extends ThingportException {
    private static final long serialVersionUID = 1L;

    /** Why a push is refused. */
    public enum Reason {
        /** The push did not present the component's secret path token (a cloud that signs nothing: CTWing). */
        UNAUTHORIZED(ErrorCode.UNAUTHENTICATED),
        /** The signature does not match the token, nonce and payload, or a signature field is missing (OneNET). */
        SIGNATURE(ErrorCode.UNAUTHENTICATED),
        /** Encrypted content cannot be decrypted with the configured key, or decrypts to an impossible layout. */
        DECRYPT(ErrorCode.UNAUTHENTICATED),
        /** The body is not JSON, not one of the documented messages, or a field has the wrong type or value. */
        MALFORMED(ErrorCode.MALFORMED),
        /** The body, a value or a batch exceeds a limit. */
        TOO_LARGE(ErrorCode.TOO_LARGE);

        private final ErrorCode code;

        Reason(ErrorCode code) {
            this.code = code;
        }

        /** The platform error code this reason stands for. */
        public ErrorCode code() {
            return code;
        }
    }

    private final Reason reason;

    public PushRejected(Reason reason, String message) {
        super(Objects.requireNonNull(reason, "reason").code(), message);
        this.reason = reason;
    }

    public PushRejected(Reason reason, String message, Throwable cause) {
        super(Objects.requireNonNull(reason, "reason").code(), message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    /** The HTTP status to answer the cloud with. */
    public int httpStatus() {
        return code().httpStatus();
    }

    /** A {@link Reason#MALFORMED} refusal. */
    public static PushRejected malformed(String message) {
        return new PushRejected(Reason.MALFORMED, message);
    }
}
