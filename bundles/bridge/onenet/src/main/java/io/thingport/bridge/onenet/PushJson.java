package io.thingport.bridge.onenet;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.thingport.bridge.support.PushRejected;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * A push body (or a decrypted msg) read as JSON within {@link PushLimits}: strict UTF-8, no duplicate keys, no
 * trailing content, bounded depth; a syntax error is reported with its line and column. For a body object, the raw
 * text of each top-level object or array value is kept, so that a signature can be checked over the text as received.
 */
final class PushJson {
    private static final JsonFactory FACTORY = JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    private static final ObjectMapper MAPPER = new ObjectMapper(FACTORY).enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final int MAX_DETAIL = 120;

    private final String text;
    private final JsonNode root;
    private final Map<String, int[]> spans;

    private PushJson(String text, JsonNode root, Map<String, int[]> spans) {
        this.text = text;
        this.root = root;
        this.spans = spans;
    }

    /** A push body: at most {@code maxBodyBytes} of UTF-8 holding one JSON object. */
    static PushJson body(byte[] body, PushLimits limits) {
        if (body.length > limits.maxBodyBytes()) {
            throw new PushRejected(PushRejected.Reason.TOO_LARGE, "body is larger than " + limits.maxBodyBytes() + " bytes");
        }
        PushJson json = read(CipherSupport.utf8(body, 0, body.length, "body"), limits, "body");
        if (!json.root.isObject()) {
            throw PushRejected.malformed("body must be a JSON object");
        }
        return json;
    }

    /** A JSON text found inside a push (a decrypted or string-valued msg), named {@code what} in errors. */
    static JsonNode text(String text, PushLimits limits, String what) {
        if (text.length() > limits.maxBodyBytes()) {
            throw new PushRejected(PushRejected.Reason.TOO_LARGE, what + " is longer than " + limits.maxBodyBytes() + " characters");
        }
        return read(text, limits, what).root;
    }

    /** The longest number a push may hold, in characters (checked before the number is converted). */
    static final int MAX_NUMBER_CHARS = 100;

    private static PushJson read(String text, PushLimits limits, String what) {
        Map<String, int[]> spans = new HashMap<>();
        try (JsonParser parser = FACTORY.createParser(text)) {
            int depth = 0;
            String field = null;
            int start = -1;
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
                if (token == JsonToken.FIELD_NAME && depth == 1) {
                    field = parser.getCurrentName();
                } else if (token.isNumeric() && parser.getTextLength() > MAX_NUMBER_CHARS) {
                    // before any conversion: turning a huge number into a BigInteger takes time growing with its square
                    throw new PushRejected(PushRejected.Reason.TOO_LARGE, what + " holds a number of more than " + MAX_NUMBER_CHARS
                            + " characters");
                } else if (token.isStructStart()) {
                    if (depth == 1) {
                        start = (int) parser.getTokenLocation().getCharOffset();
                    }
                    depth++;
                    if (depth > limits.maxDepth()) {
                        throw new PushRejected(PushRejected.Reason.TOO_LARGE,
                                what + " is nested deeper than " + limits.maxDepth() + " levels");
                    }
                } else if (token.isStructEnd()) {
                    depth--;
                    if (depth == 1 && field != null) {
                        spans.put(field, new int[] {start, (int) parser.getTokenLocation().getCharOffset() + 1});
                    }
                    if (depth == 0 && parser.nextToken() != null) {
                        throw syntax(what, "unexpected content after the end of the JSON value", parser.getTokenLocation());
                    }
                }
            }
            return new PushJson(text, MAPPER.readTree(text), spans);
        } catch (JsonProcessingException e) {
            throw syntax(what, e.getOriginalMessage(), e.getLocation());
        } catch (IOException e) {
            throw PushRejected.malformed(what + " cannot be read as JSON");
        }
    }

    private static PushRejected syntax(String what, String detail, JsonLocation location) {
        String shortDetail = detail == null ? "syntax error" : detail.lines().findFirst().orElse("syntax error");
        if (shortDetail.length() > MAX_DETAIL) {
            shortDetail = shortDetail.substring(0, MAX_DETAIL) + "...";
        }
        String where = location == null ? "" : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
        return PushRejected.malformed(what + " is not valid JSON" + where + ": " + shortDetail);
    }

    ObjectNode object() {
        return (ObjectNode) root;
    }

    /** The raw text of a top-level object or array value, exactly as received; {@code null} if there is none. */
    String raw(String field) {
        int[] span = spans.get(field);
        return span == null ? null : text.substring(span[0], span[1]);
    }

    /** A required top-level string field. */
    String requiredText(String field) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            throw PushRejected.malformed("'" + field + "' is missing");
        }
        if (!node.isTextual()) {
            throw PushRejected.malformed("'" + field + "' must be a string");
        }
        return node.textValue();
    }
}
