package io.thingport.rest.internal.http;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;
import io.thingport.api.model.ValidationException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import javax.ws.rs.WebApplicationException;

/** Turns whatever a request ended with into the API's error: a pure function ({@link ErrorCode#httpStatus} gives the status). */
public final class ApiErrors {
    private ApiErrors() {
    }

    public static int status(ErrorCode code) {
        return code.httpStatus();
    }

    public static ApiError of(Throwable t) {
        if (t instanceof ValidationException v) {
            String field = v.violations().isEmpty() ? null : v.violations().get(0).field();
            String message = v.violations().isEmpty() ? v.getMessage()
                    : v.violations().stream().map(x -> x.field() + ": " + x.rule()).collect(Collectors.joining("; "));
            return new ApiError(status(v.code()), v.code().wireName(), message, field);
        }
        if (t instanceof FieldException f) {
            return new ApiError(status(f.code()), f.code().wireName(), f.getMessage(), f.field());
        }
        if (t instanceof ThingportException e) {
            return new ApiError(status(e.code()), e.code().wireName(), e.getMessage(), null);
        }
        if (t instanceof UnrecognizedPropertyException u) {
            return new ApiError(400, ErrorCode.INVALID_ARGUMENT.wireName(), "unknown field " + u.getPropertyName()
                    + " (known: " + u.getKnownPropertyIds() + ")", path(u));
        }
        if (t instanceof InvalidFormatException f) {
            return new ApiError(400, ErrorCode.INVALID_ARGUMENT.wireName(), "field " + path(f) + ": "
                    + describe(f.getValue()) + " is not a valid " + simpleType(f.getTargetType()), path(f));
        }
        if (t instanceof MismatchedInputException m && m.getOriginalMessage() != null
                && m.getOriginalMessage().startsWith("Trailing token")) {
            // FAIL_ON_TRAILING_TOKENS: Jackson has no type of its own for it, only this message
            return new ApiError(400, ErrorCode.MALFORMED.wireName(), "the body has more after its JSON value"
                    + position(m.getLocation()), null);
        }
        if (t instanceof MismatchedInputException m) {
            String field = path(m);
            String what = m.getTargetType() == null ? "a different value" : "a " + simpleType(m.getTargetType());
            return new ApiError(400, ErrorCode.INVALID_ARGUMENT.wireName(),
                    (field == null ? "the body" : "field " + field) + ": expected " + what, field);
        }
        if (t instanceof JsonMappingException m && m.getCause() instanceof ThingportException e) {
            return of(e);
        }
        if (t instanceof JsonProcessingException p) {
            return new ApiError(400, ErrorCode.MALFORMED.wireName(), "the body is not valid JSON"
                    + position(p.getLocation()), null);
        }
        if (t instanceof WebApplicationException w) {
            int status = w.getResponse().getStatus();
            return new ApiError(status, webCode(status), webMessage(status), null);
        }
        if (t instanceof IllegalArgumentException) {
            // a library's message may describe internals: only the platform's own refusals are passed on in words
            return new ApiError(400, ErrorCode.INVALID_ARGUMENT.wireName(), "the request has an invalid argument", null);
        }
        return new ApiError(500, ErrorCode.INTERNAL.wireName(), "internal error: see the platform's log", null);
    }

    private static String webCode(int status) {
        return switch (status) {
            case 404 -> ErrorCode.NOT_FOUND.wireName();
            case 405 -> "method_not_allowed";
            case 406 -> "not_acceptable";
            case 415 -> "unsupported_media_type";
            case 401 -> ErrorCode.UNAUTHENTICATED.wireName();
            case 403 -> ErrorCode.FORBIDDEN.wireName();
            default -> status >= 500 ? ErrorCode.INTERNAL.wireName() : ErrorCode.INVALID_ARGUMENT.wireName();
        };
    }

    private static String webMessage(int status) {
        return switch (status) {
            case 404 -> "no such resource";
            case 405 -> "method not allowed on this resource";
            case 406 -> "this resource answers application/json only";
            case 415 -> "send the body as application/json";
            default -> "the request could not be handled (HTTP " + status + ")";
        };
    }

    private static String position(JsonLocation loc) {
        return loc == null ? "" : " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")";
    }

    private static String path(JsonMappingException e) {
        StringBuilder out = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                if (out.length() > 0) {
                    out.append('.');
                }
                out.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                out.append('[').append(r.getIndex()).append(']');
            }
        }
        return out.length() == 0 ? null : out.toString();
    }

    private static String simpleType(Class<?> type) {
        if (type == null) {
            return "value";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "whole number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "boolean";
        }
        if (type == String.class) {
            return "string";
        }
        if (type.isEnum()) {
            return "value of " + Arrays.toString(type.getEnumConstants()).toLowerCase(Locale.ROOT);
        }
        return type.getSimpleName();
    }

    private static String describe(Object value) {
        String s = String.valueOf(value);
        return "\"" + (s.length() > 60 ? s.substring(0, 60) + "…" : s) + "\"";
    }
}
