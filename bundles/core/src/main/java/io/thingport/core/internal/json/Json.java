package io.thingport.core.internal.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.thingport.api.ErrorCode;
import io.thingport.api.ThingportException;

/** The core's one JSON mapper: strict on input (duplicate keys, trailing data), stable on output. */
public final class Json {
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    private Json() {
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new ThingportException(ErrorCode.INTERNAL, "cannot write JSON: " + e.getOriginalMessage(), e);
        }
    }

    public static String writePretty(Object value) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new ThingportException(ErrorCode.INTERNAL, "cannot write JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** Parses JSON text; the error names {@code what} and where the text broke. */
    public static JsonNode parse(String text, String what) {
        try {
            JsonNode node = MAPPER.readTree(text);
            if (node == null || node.isMissingNode()) {
                throw ThingportException.invalidArgument(what + " is empty");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw ThingportException.invalidArgument(what + " is not valid JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? ""
                    : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")"));
        }
    }

    /** Parses JSON text a user gave into plain Java values (Map, List, ...); the error names {@code what}. */
    public static Object toJavaChecked(String text, String what) {
        return MAPPER.convertValue(parse(text, what), Object.class);
    }

    /** Parses stored JSON into plain Java values (Map, List, String, Number, Boolean). */
    public static Object toJava(String json) {
        try {
            return MAPPER.readValue(json, Object.class);
        } catch (JsonProcessingException e) {
            throw new ThingportException(ErrorCode.INTERNAL, "stored JSON is corrupt: " + e.getOriginalMessage(), e);
        }
    }
}
