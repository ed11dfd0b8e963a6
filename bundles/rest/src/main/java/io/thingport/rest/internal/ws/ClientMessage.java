package io.thingport.rest.internal.ws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.thingport.api.ErrorCode;
import io.thingport.rest.internal.http.RestJson;
import java.util.List;
import java.util.Objects;

/**
 * A message from a WebSocket client: {@link Subscribe} or {@link Unsubscribe}, read strictly (an unknown type or
 * field, a wrong type of value, a missing id are refused with a {@link WsError} naming what is wrong).
 */
public sealed interface ClientMessage {
    /** The longest subscription id a client may choose. */
    int MAX_ID_LENGTH = 64;

    /** The client's id of the subscription the message is about. */
    String id();

    /**
     * {@code {"type":"sub","id":"a","product":"p1","device":"d1","types":["property"],"lastEventId":123}}: every field
     * but {@code type} and {@code id} may be left out.
     */
    record Subscribe(String type, String id, String product, String device, List<String> types, Long lastEventId)
            implements ClientMessage {
        public Subscribe {
            types = types == null ? List.of() : types;
        }
    }

    /** {@code {"type":"unsub","id":"a"}}. */
    record Unsubscribe(String type, String id) implements ClientMessage {
    }

    /** Reads one text message. */
    static ClientMessage parse(String text) {
        JsonNode node;
        try {
            node = RestJson.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new WsError(null, ErrorCode.MALFORMED, "the message is not valid JSON"
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
                            + e.getLocation().getColumnNr() + ")"));
        }
        if (node == null || !node.isObject()) {
            throw new WsError(null, ErrorCode.MALFORMED, "a message is a JSON object with a type: sub or unsub");
        }
        JsonNode id = node.get("id");
        if (id != null && !id.isTextual() && !id.isNull()) {
            throw new WsError(null, ErrorCode.INVALID_ARGUMENT.wireName(), "id must be text: the client's name of the "
                    + "subscription", "id");
        }
        String sub = node.path("id").isTextual() && validId(node.get("id").asText()) ? node.get("id").asText() : null;
        JsonNode type = node.get("type");
        Class<? extends ClientMessage> kind;
        if (type != null && "sub".equals(type.asText(null))) {
            kind = Subscribe.class;
        } else if (type != null && "unsub".equals(type.asText(null))) {
            kind = Unsubscribe.class;
        } else {
            throw new WsError(sub, ErrorCode.INVALID_ARGUMENT.wireName(), "type must be sub or unsub, not "
                    + (type == null ? "missing" : type.toString()), "type");
        }
        ClientMessage message;
        try {
            message = RestJson.MAPPER.treeToValue(node, kind);
        } catch (JsonProcessingException e) {
            throw WsError.of(sub, e);
        }
        checkId(message.id());
        if (message instanceof Subscribe s) {
            if (s.lastEventId() != null && s.lastEventId() < 0) {
                throw new WsError(sub, ErrorCode.INVALID_ARGUMENT.wireName(), "lastEventId must be the id of an event "
                        + "this API sent, not " + s.lastEventId(), "lastEventId");
            }
            if (s.types().stream().anyMatch(Objects::isNull)) {
                throw new WsError(sub, ErrorCode.INVALID_ARGUMENT.wireName(), "types must not hold null", "types");
            }
        }
        return message;
    }

    private static boolean validId(String id) {
        return !id.isBlank() && id.length() <= MAX_ID_LENGTH && id.chars().noneMatch(Character::isISOControl);
    }

    private static void checkId(String id) {
        if (id == null || id.isBlank()) {
            throw new WsError(null, ErrorCode.INVALID_ARGUMENT.wireName(), "id is required: the client's name of the "
                    + "subscription", "id");
        }
        if (!validId(id)) {
            throw new WsError(null, ErrorCode.INVALID_ARGUMENT.wireName(), "id must be at most " + MAX_ID_LENGTH
                    + " characters without control characters", "id");
        }
    }
}
