package io.thingport.bridge.onenet;

import com.fasterxml.jackson.databind.JsonNode;
import io.thingport.bridge.support.PushRejected;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/** Typed reads of the fields of one JSON object; errors name the field by its path, e.g. {@code msg[3].ds_id}. */
final class Fields {
    /** The longest identifier-like string accepted (ids, names, stream ids). */
    static final int MAX_ID_CHARS = 256;
    /** The longest free-text string accepted (a reply's msg). */
    static final int MAX_TEXT_CHARS = 4096;

    private final JsonNode object;
    private final String path;

    Fields(JsonNode object, String path) {
        this.object = object;
        this.path = path;
        if (object == null || !object.isObject()) {
            throw PushRejected.malformed("'" + path + "' must be a JSON object");
        }
    }

    /** The fields of this object, in document order. */
    Iterator<Map.Entry<String, JsonNode>> entries() {
        return object.fields();
    }

    String name(String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    JsonNode node(String field) {
        JsonNode node = object.get(field);
        return node == null || node.isNull() ? null : node;
    }

    boolean has(String field) {
        return object.has(field);
    }

    JsonNode required(String field) {
        JsonNode node = node(field);
        if (node == null) {
            throw missing(field);
        }
        return node;
    }

    Fields object(String field) {
        return new Fields(required(field), name(field));
    }

    long requiredLong(String field) {
        JsonNode node = required(field);
        if (!node.canConvertToLong() || !node.isIntegralNumber()) {
            throw PushRejected.malformed("'" + name(field) + "' must be an integer");
        }
        return node.longValue();
    }

    int requiredInt(String field) {
        JsonNode node = required(field);
        if (!node.isIntegralNumber() || !node.canConvertToInt()) {
            throw PushRejected.malformed("'" + name(field) + "' must be an integer");
        }
        return node.intValue();
    }

    OptionalLong optionalLong(String field) {
        return node(field) == null ? OptionalLong.empty() : OptionalLong.of(requiredLong(field));
    }

    OptionalInt optionalInt(String field) {
        return node(field) == null ? OptionalInt.empty() : OptionalInt.of(requiredInt(field));
    }

    String requiredText(String field) {
        JsonNode node = required(field);
        if (!node.isTextual()) {
            throw PushRejected.malformed("'" + name(field) + "' must be a string");
        }
        return bounded(field, node.textValue());
    }

    Optional<String> optionalText(String field) {
        return node(field) == null ? Optional.empty() : Optional.of(requiredText(field));
    }

    /** An optional free-text string (a message), bounded by {@link #MAX_TEXT_CHARS}. */
    Optional<String> optionalMessage(String field) {
        JsonNode node = node(field);
        if (node == null) {
            return Optional.empty();
        }
        if (!node.isTextual()) {
            throw PushRejected.malformed("'" + name(field) + "' must be a string");
        }
        if (node.textValue().length() > MAX_TEXT_CHARS) {
            throw new PushRejected(PushRejected.Reason.TOO_LARGE, "'" + name(field) + "' is longer than " + MAX_TEXT_CHARS + " characters");
        }
        return Optional.of(node.textValue());
    }

    /** An id that may be a string or an integer on the wire, as text. */
    String requiredId(String field) {
        JsonNode node = required(field);
        if (node.isIntegralNumber()) {
            return node.asText();
        }
        if (!node.isTextual() || node.textValue().isEmpty()) {
            throw PushRejected.malformed("'" + name(field) + "' must be a non-empty string or an integer");
        }
        return bounded(field, node.textValue());
    }

    Optional<String> optionalId(String field) {
        return node(field) == null ? Optional.empty() : Optional.of(requiredId(field));
    }

    private String bounded(String field, String text) {
        if (text.length() > MAX_ID_CHARS) {
            throw new PushRejected(PushRejected.Reason.TOO_LARGE, "'" + name(field) + "' is longer than " + MAX_ID_CHARS + " characters");
        }
        return text;
    }

    PushRejected missing(String field) {
        return PushRejected.malformed("'" + name(field) + "' is missing");
    }
}
