package io.thingport.rest.internal.ws;

import io.thingport.api.ErrorCode;
import io.thingport.rest.internal.http.ApiError;
import io.thingport.rest.internal.http.ApiErrors;

/**
 * A client's message refused: the API's error code and message (and the field at fault, when there is one), and the
 * subscription it was about, when the message named one. The connection stays open.
 */
public final class WsError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String sub;
    private final String code;
    private final String field;

    public WsError(String sub, String code, String message, String field) {
        super(message, null, false, false);
        this.sub = sub;
        this.code = code;
        this.field = field;
    }

    public WsError(String sub, ErrorCode code, String message) {
        this(sub, code.wireName(), message, null);
    }

    /** The error of a failure, in the API's words ({@link ApiErrors}), about subscription {@code sub}. */
    public static WsError of(String sub, Throwable t) {
        if (t instanceof WsError e) {
            return e.sub != null || sub == null ? e : new WsError(sub, e.code, e.getMessage(), e.field);
        }
        ApiError error = ApiErrors.of(t);
        return new WsError(sub, error.code(), error.message(), error.field());
    }

    public String sub() {
        return sub;
    }

    public String code() {
        return code;
    }

    public String field() {
        return field;
    }
}
