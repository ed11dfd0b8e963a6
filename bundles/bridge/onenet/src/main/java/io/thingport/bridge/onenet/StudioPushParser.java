package io.thingport.bridge.onenet;

import com.fasterxml.jackson.databind.JsonNode;
import io.thingport.bridge.support.PushRejected;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads a OneNET Studio HTTP push into messages, after checking its signature. The body is
 * {@code {"msg":"<JSON string>","nonce":"..","signature":"..","time":..,"id":".."}} with
 * {@code signature = Base64(MD5(token + nonce + msg))}; in secure mode (an aesKey configured) {@code msg} is
 * Base64(AES-128-CBC) and the signature covers that ciphertext.
 *
 * <p>The msg is a {@code lifeCycle} ({@link StudioLifecycle}), a {@code notify} with {@code notifyType} {@code property}
 * ({@link StudioPropertyReport}) or {@code event} (one {@link StudioEvent} per event), or a {@code reply}
 * ({@link StudioReply}).
 */
public final class StudioPushParser {
    private final String token;
    private final Optional<String> aesKey;
    private final PushLimits limits;

    /**
     * @param token the push token configured on OneNET Studio
     * @param aesKey the 16-character aesKey of secure mode, or empty for plain mode
     * @param limits the bounds applied to each push
     * @throws IllegalArgumentException when the aesKey is not 16 characters (the key is not shown)
     */
    public StudioPushParser(String token, Optional<String> aesKey, PushLimits limits) {
        this.token = Objects.requireNonNull(token, "token");
        this.aesKey = Objects.requireNonNull(aesKey, "aesKey");
        this.limits = Objects.requireNonNull(limits, "limits");
        aesKey.ifPresent(StudioCipher::key);
    }

    /**
     * The messages of one push.
     *
     * @throws PushRejected naming the field and the problem
     */
    public List<OneNetMessage> parse(byte[] body) {
        PushJson json = PushJson.body(body, limits);
        String msg = json.requiredText("msg");
        String nonce = json.requiredText("nonce");
        OneNetSignature.require(token, nonce, msg, json.requiredText("signature"), "signature");
        Fields push = new Fields(json.object(), "");
        String pushId = push.optionalId("id").orElse("");
        push.optionalLong("time");
        String text = aesKey.isPresent() ? StudioCipher.decrypt(aesKey.get(), msg) : msg;
        Fields fields = new Fields(PushJson.text(text, limits, "'msg'"), "msg");
        StudioSource source = new StudioSource(pushId, fields.optionalId("productId"), fields.optionalId("deviceName"),
                fields.optionalId("deviceId"));
        String messageType = fields.requiredText("messageType");
        return switch (messageType) {
            case "lifeCycle" -> List.of(lifecycle(source, fields.object("data")));
            case "notify" -> notification(source, fields);
            case "reply" -> List.of(reply(source, fields.object("data")));
            default -> throw PushRejected.malformed("'msg.messageType' \"" + messageType + "\" is not known (lifeCycle, notify, reply)");
        };
    }

    private static StudioLifecycle lifecycle(StudioSource source, Fields data) {
        String status = data.requiredText("status");
        if (!status.equals("online") && !status.equals("offline")) {
            throw PushRejected.malformed("'" + data.name("status") + "' must be \"online\" or \"offline\"");
        }
        return new StudioLifecycle(source, status.equals("online"), data.requiredLong("time"));
    }

    private static List<OneNetMessage> notification(StudioSource source, Fields msg) {
        String notifyType = msg.requiredText("notifyType");
        Fields data = msg.object("data");
        Optional<String> messageId = data.optionalId("id");
        Fields params = data.object("params");
        Iterator<Map.Entry<String, JsonNode>> entries = params.entries();
        switch (notifyType) {
            case "property" -> {
                Map<String, TimedValue> values = new LinkedHashMap<>();
                while (entries.hasNext()) {
                    Map.Entry<String, JsonNode> entry = entries.next();
                    Fields property = new Fields(entry.getValue(), params.name(entry.getKey()));
                    values.put(entry.getKey(), new TimedValue(value(property), property.optionalLong("time")));
                }
                return List.of(new StudioPropertyReport(source, messageId, values));
            }
            case "event" -> {
                List<OneNetMessage> events = new ArrayList<>();
                while (entries.hasNext()) {
                    Map.Entry<String, JsonNode> entry = entries.next();
                    Fields event = new Fields(entry.getValue(), params.name(entry.getKey()));
                    events.add(new StudioEvent(source, messageId, entry.getKey(), event.optionalText("eventType"),
                            event.optionalLong("time"), value(event)));
                }
                return List.copyOf(events);
            }
            default -> throw PushRejected.malformed("'msg.notifyType' \"" + notifyType + "\" is not known (property, event)");
        }
    }

    private static Object value(Fields fields) {
        if (!fields.has("value")) {
            throw fields.missing("value");
        }
        return JsonValues.toJava(fields.node("value"));
    }

    private static StudioReply reply(StudioSource source, Fields data) {
        return new StudioReply(source, data.optionalId("id"), data.requiredInt("code"), data.optionalMessage("msg"),
                JsonValues.toJava(data.node("data")));
    }
}
