package io.thingport.api.protocol;

import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;

/**
 * A codec cannot decode or encode a message. {@code messageId} is the id it could read before failing, or
 * {@code null}; the platform answers the device with an error that carries it.
 */
public class CodecException extends ThingportException {
    private static final long serialVersionUID = 1L;

    private final String messageId;

    public CodecException(ErrorCode code, String message, String messageId) {
        super(code, message);
        this.messageId = messageId;
    }

    public CodecException(ErrorCode code, String message) {
        this(code, message, null);
    }

    public String messageId() {
        return messageId;
    }
}
