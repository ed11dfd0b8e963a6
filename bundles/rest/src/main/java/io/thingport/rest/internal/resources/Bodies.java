package io.thingport.rest.internal.resources;

import io.thingport.rest.internal.http.FieldException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** Parameters and raw bodies read the one way: a bad one is refused naming it. */
public final class Bodies {
    private Bodies() {
    }

    /** A body as UTF-8 text; refused when empty or not UTF-8. */
    public static String text(byte[] body) {
        if (body == null || body.length == 0) {
            throw new FieldException("body", "the request has no body");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            throw new FieldException("body", "the body is not UTF-8 text");
        }
    }

    /** An optional ISO-8601 instant parameter. */
    public static Instant instant(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw new FieldException(name, name + " must be an ISO-8601 instant such as 2026-12-03T10:00:00Z, not "
                    + value);
        }
    }

    /** An optional ISO-8601 duration parameter ({@code PT1M}). */
    public static Duration duration(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Duration.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw new FieldException(name, name + " must be an ISO-8601 duration such as PT1M or PT1H, not " + value);
        }
    }

    /** An optional cursor that is a number (a log id). */
    public static Long idCursor(String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return null;
        }
        try {
            return Long.parseLong(cursor.trim());
        } catch (NumberFormatException e) {
            throw new FieldException("cursor", "cursor " + cursor + " is not one this API issued");
        }
    }
}
