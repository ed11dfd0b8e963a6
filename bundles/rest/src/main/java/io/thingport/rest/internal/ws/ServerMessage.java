package io.thingport.rest.internal.ws;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.thingport.api.device.DeviceLogEntry;
import io.thingport.rest.internal.events.EventView;
import io.thingport.rest.internal.http.RestJson;

/**
 * A message to a WebSocket client, as the text sent: {@code {"type":"event","sub":"a","event":{...}}} and the
 * notices {@code subscribed}, {@code unsubscribed}, {@code gap}, {@code dropped} and {@code error}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"type", "sub", "event", "code", "message", "field"})
public record ServerMessage(String type, String sub, EventView event, String code, String message, String field) {
    public static String event(String sub, DeviceLogEntry entry) {
        return text(new ServerMessage("event", sub, EventView.of(entry), null, null, null));
    }

    public static String subscribed(String sub) {
        return text(new ServerMessage("subscribed", sub, null, null, null, null));
    }

    public static String unsubscribed(String sub) {
        return text(new ServerMessage("unsubscribed", sub, null, null, null, null));
    }

    /** More was missed than a resume sends: the subscription goes on with the newest events. */
    public static String gap(String sub, String message) {
        return text(new ServerMessage("gap", sub, null, null, message, null));
    }

    /** The platform ended a subscription (the client fell behind, the API is stopping); the connection closes next. */
    public static String dropped(String sub, String message) {
        return text(new ServerMessage("dropped", sub, null, null, message, null));
    }

    public static String error(WsError e) {
        return text(new ServerMessage("error", e.sub(), null, e.code(), e.getMessage(), e.field()));
    }

    private static String text(ServerMessage m) {
        try {
            return RestJson.MAPPER.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a server message is always writable", e);
        }
    }
}
