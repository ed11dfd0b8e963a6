package io.thingport.rest.internal.http;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;

/** A refused request parameter or body field, named in the error's {@code field}. */
public final class FieldException extends ThingportException {
    private static final long serialVersionUID = 1L;
    private final String field;

    public FieldException(String field, String message) {
        this(ErrorCode.INVALID_ARGUMENT, field, message);
    }

    public FieldException(ErrorCode code, String field, String message) {
        super(code, message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
