package io.thingport.bridge.ctwing;

import com.fasterxml.jackson.databind.JsonNode;
import io.thingport.bridge.support.PushRejected;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads the fields of a push object. Every failure is {@link PushRejected.Reason#MALFORMED} and names the field by its
 * path ({@code timestamp}, {@code payload.APPdata}, {@code payload[3].deviceId}); values are echoed only shortened.
 */
final class PushFields {
    /** How many characters of a wire value an error message may echo. */
    private static final int ECHO_LIMIT = 64;

    private final JsonNode object;
    private final String prefix;

    private PushFields(JsonNode object, String prefix) {
        this.object = object;
        this.prefix = prefix;
    }

    /** The fields of {@code object}, whose path is {@code path} ("" for the body itself). */
    static PushFields of(JsonNode object, String path) {
        return new PushFields(object, path.isEmpty() ? "" : path + ".");
    }

    String path(String name) {
        return prefix + name;
    }

    JsonNode node(String name) {
        JsonNode node = object.get(name);
        return node == null || node.isNull() ? null : node;
    }

    boolean has(String name) {
        return node(name) != null;
    }

    /** A string field that must be present and not blank. */
    String requiredText(String name) {
        String value = optionalText(name, null);
        if (value == null) {
            throw PushRejected.malformed(path(name) + " is missing");
        }
        if (value.isBlank()) {
            throw PushRejected.malformed(path(name) + " must not be empty");
        }
        return value;
    }

    /** A string field, {@code fallback} when absent or null. */
    String optionalText(String name, String fallback) {
        JsonNode node = node(name);
        if (node == null) {
            return fallback;
        }
        if (!node.isTextual()) {
            throw PushRejected.malformed(path(name) + " must be a string, not " + kind(node));
        }
        return node.textValue();
    }

    /** An identifier that CTWing sends as a string or as an integer (productId, tenantId, serviceId): as text. */
    String id(String name, boolean required) {
        JsonNode node = node(name);
        if (node == null) {
            if (required) {
                throw PushRejected.malformed(path(name) + " is missing");
            }
            return "";
        }
        if (node.isTextual()) {
            if (required && node.textValue().isBlank()) {
                throw PushRejected.malformed(path(name) + " must not be empty");
            }
            return node.textValue();
        }
        if (node.isIntegralNumber()) {
            return node.bigIntegerValue().toString();
        }
        throw PushRejected.malformed(path(name) + " must be a string or an integer, not " + kind(node));
    }

    /** An integer field that must be present (a JSON integer, or a string of decimal digits). */
    long requiredLong(String name) {
        if (!has(name)) {
            throw PushRejected.malformed(path(name) + " is missing");
        }
        return optionalLong(name, 0);
    }

    /** An integer field, {@code fallback} when absent or null. */
    long optionalLong(String name, long fallback) {
        JsonNode node = node(name);
        if (node == null) {
            return fallback;
        }
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            return node.longValue();
        }
        if (node.isTextual() && node.textValue().matches("-?[0-9]{1,18}")) {
            return Long.parseLong(node.textValue());
        }
        throw PushRejected.malformed(path(name) + " must be an integer, not " + kind(node));
    }

    /** A device identity (IMEI, IMSI, ICCID): empty when absent, empty or the platform's {@code "undefined"}. */
    Optional<String> identity(String name) {
        String value = optionalText(name, "");
        if (value.isBlank() || "undefined".equals(value) || "null".equals(value)) {
            return Optional.empty();
        }
        return Optional.of(value);
    }

    /** An object field that must be present. */
    JsonNode requiredObject(String name) {
        JsonNode node = node(name);
        if (node == null) {
            throw PushRejected.malformed(path(name) + " is missing");
        }
        if (!node.isObject()) {
            throw PushRejected.malformed(path(name) + " must be an object, not " + kind(node));
        }
        return node;
    }

    static String kind(JsonNode node) {
        if (node.isTextual()) {
            return "a string";
        }
        if (node.isNumber()) {
            return "a number";
        }
        if (node.isBoolean()) {
            return "a boolean";
        }
        if (node.isArray()) {
            return "an array";
        }
        if (node.isObject()) {
            return "an object";
        }
        return node.getNodeType().name().toLowerCase(Locale.ROOT);
    }

    /** A wire value for an error message: at most 64 characters, control characters replaced by '?'. */
    static String echo(String value) {
        String shortened = value.length() > ECHO_LIMIT ? value.substring(0, ECHO_LIMIT) + "\u2026" : value;
        StringBuilder out = new StringBuilder(shortened.length());
        shortened.codePoints().forEach(c -> out.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return out.toString();
    }
}
