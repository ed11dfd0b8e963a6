package io.thingport.bridge.ctwing;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * A CTWing API call that did not succeed. {@link #kind()} says where it failed; the message names the API, the HTTP
 * status or the platform's {@code code} and {@code msg}; it never holds a secret or a signature.
 */
public final class CtwingApiException extends ThingportException {
    private static final long serialVersionUID = 1L;

    /** Where a call failed. */
    public enum Kind {
        /** No connection to the API gateway (refused, unknown host, TLS failure). */
        CONNECT_FAILED(ErrorCode.UNAVAILABLE),
        /** No complete answer within the timeout. */
        TIMEOUT(ErrorCode.TIMEOUT),
        /** An HTTP status other than 2xx. */
        HTTP_STATUS(ErrorCode.UNAVAILABLE),
        /** HTTP 2xx, but the body's {@code code} is not 0: the platform refused the request. */
        API_ERROR(ErrorCode.INVALID_ARGUMENT),
        /** HTTP 2xx, but the body or a header is not what the API returns. */
        BAD_RESPONSE(ErrorCode.INTERNAL),
        /** The answer exceeds the client's response size bound. */
        RESPONSE_TOO_LARGE(ErrorCode.TOO_LARGE),
        /** The calling thread was interrupted. */
        INTERRUPTED(ErrorCode.UNAVAILABLE);

        private final ErrorCode code;

        Kind(ErrorCode code) {
            this.code = code;
        }

        public ErrorCode code() {
            return code;
        }
    }

    private final Kind kind;
    private final int httpStatus;
    private final Long apiCode;

    public CtwingApiException(Kind kind, String message, int httpStatus, Long apiCode, Throwable cause) {
        super(Objects.requireNonNull(kind, "kind").code(), message, cause);
        this.kind = kind;
        this.httpStatus = httpStatus;
        this.apiCode = apiCode;
    }

    public CtwingApiException(Kind kind, String message) {
        this(kind, message, 0, null, null);
    }

    public Kind kind() {
        return kind;
    }

    /** The HTTP status of the answer; 0 when there was none. */
    public int httpStatus() {
        return httpStatus;
    }

    /** The platform's {@code code} when the answer carried one. */
    public OptionalLong apiCode() {
        return apiCode == null ? OptionalLong.empty() : OptionalLong.of(apiCode);
    }
}
