package io.thingport.bridge.ctwing;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import java.util.Objects;

/**
 * A CTWing subscription push that is not accepted. The message names the problem (the field, the rule); it never holds
 * a secret and never echoes the body. The reason tells the push endpoint how to answer (401, 400, 413).
 */
public final class PushRejected extends ThingportException {
    private static final long serialVersionUID = 1L;

    /** Why a push is refused. */
    public enum Reason {
        /** The push did not present the gateway's secret path token. */
        UNAUTHORIZED(ErrorCode.UNAUTHENTICATED),
        /** The body is not JSON, not one of the documented messages, or a field has the wrong type or value. */
        MALFORMED(ErrorCode.MALFORMED),
        /** The body exceeds {@link CtwingPushParser#MAX_BODY_BYTES} or a batch exceeds its entry bound. */
        TOO_LARGE(ErrorCode.TOO_LARGE);

        private final ErrorCode code;

        Reason(ErrorCode code) {
            this.code = code;
        }

        /** The platform error code that stands for this reason. */
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

    static PushRejected malformed(String message) {
        return new PushRejected(Reason.MALFORMED, message);
    }
}
