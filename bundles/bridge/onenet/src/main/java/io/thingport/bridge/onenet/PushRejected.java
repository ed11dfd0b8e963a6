package io.thingport.bridge.onenet;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import java.util.Objects;

/**
 * A OneNET push (or URL verification) that is not accepted. The message names the field and the rule; it never
 * contains the token, the aesKey or decrypted content. The bridge answers {@link #httpStatus()}; OneNET retries a push
 * that is not answered with 200, so a rejection is for pushes that will never become acceptable.
 */
public final class PushRejected extends ThingportException {
    private static final long serialVersionUID = 1L;

    /** Why a push is rejected. */
    public enum Reason {
        /** The signature does not match the token, nonce and payload (or a signature field is missing). */
        SIGNATURE(ErrorCode.UNAUTHENTICATED),
        /** Encrypted content cannot be decrypted with the configured aesKey, or decrypts to an impossible layout. */
        DECRYPT(ErrorCode.UNAUTHENTICATED),
        /** The body or a message in it does not have the documented shape. */
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

    public Reason reason() {
        return reason;
    }

    /** The HTTP status to answer OneNET with. */
    public int httpStatus() {
        return code().httpStatus();
    }

    static PushRejected malformed(String message) {
        return new PushRejected(Reason.MALFORMED, message);
    }
}
