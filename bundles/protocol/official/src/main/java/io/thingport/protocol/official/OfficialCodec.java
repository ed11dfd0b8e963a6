package io.thingport.protocol.official;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.thingport.api.ErrorCode;
import io.thingport.api.Identifiers;
import io.thingport.api.message.DeviceCommand;
import io.thingport.api.message.DeviceEvent;
import io.thingport.api.message.DeviceMessage;
import io.thingport.api.message.DeviceOffline;
import io.thingport.api.message.DeviceOnline;
import io.thingport.api.message.DirectMessage;
import io.thingport.api.message.ErrorMessage;
import io.thingport.api.message.InvokeFunction;
import io.thingport.api.message.InvokeFunctionReply;
import io.thingport.api.message.MessageHeader;
import io.thingport.api.message.ReadProperties;
import io.thingport.api.message.ReadPropertiesReply;
import io.thingport.api.message.RegisterReply;
import io.thingport.api.message.RegisterRequest;
import io.thingport.api.message.ReportProperties;
import io.thingport.api.message.ShadowReply;
import io.thingport.api.message.ShadowRequest;
import io.thingport.api.message.WriteProperties;
import io.thingport.api.message.WritePropertiesReply;
import io.thingport.api.protocol.CodecException;
import io.thingport.api.protocol.CodecSession;
import io.thingport.api.protocol.DeviceCodec;
import io.thingport.api.protocol.EncodedMessage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The official protocol's topics and JSON payloads (official-protocol.md), for topic-carrying transports. Every
 * topic starts with {@code /{productId}/{deviceId}}, which must be the session's own device.
 */
final class OfficialCodec implements DeviceCodec {
    static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    @Override
    public List<DeviceMessage> decode(EncodedMessage message, CodecSession session) {
        String prefix = prefix(session);
        String topic = message.topic();
        if (!topic.startsWith(prefix + "/")) {
            throw new CodecException(ErrorCode.FORBIDDEN, "topic " + topic + " is outside this device's topics " + prefix + "/...");
        }
        String suffix = topic.substring(prefix.length() + 1);
        if (session.registrationOnly() && !suffix.equals("register")) {
            throw new CodecException(ErrorCode.FORBIDDEN,
                    "a connection made with the product secret may only publish to " + prefix + "/register");
        }
        String childId = null;
        if (suffix.startsWith("child/")) {
            String rest = suffix.substring("child/".length());
            int slash = rest.indexOf('/');
            childId = slash < 0 ? rest : rest.substring(0, slash);
            if (slash <= 0 || childId.length() > Identifiers.MAX_ID_LENGTH || !Identifiers.OBJECT_ID.matcher(childId).matches()) {
                throw new CodecException(ErrorCode.UNSUPPORTED_TOPIC, "a sub-device topic is " + prefix
                        + "/child/{childId}/{topic}, with a device id as childId");
            }
            suffix = rest.substring(slash + 1);
            if (suffix.startsWith("child/")) {
                throw new CodecException(ErrorCode.UNSUPPORTED_TOPIC, "a sub-device has no sub-devices of its own");
            }
        }
        if (suffix.equals("direct")) {
            return List.of(new DirectMessage(header(null, session, null, childId), message.payload()));
        }
        ObjectNode body = parse(message);
        String messageId = messageId(body);
        MessageHeader header = header(messageId, session, body, childId);
        return List.of(switch (suffix) {
            case "properties/report" -> new ReportProperties(header, requireObject(body, "properties", messageId));
            case "properties/read/reply" -> new ReadPropertiesReply(header, success(body, messageId), text(body, "code"),
                    text(body, "message"), optionalObject(body, "properties", messageId));
            case "properties/write/reply" -> new WritePropertiesReply(header, success(body, messageId), text(body, "code"),
                    text(body, "message"), optionalObject(body, "properties", messageId));
            case "function/invoke/reply" -> new InvokeFunctionReply(header, success(body, messageId), text(body, "code"),
                    text(body, "message"), body.has("output") ? toJava(body.get("output")) : null);
            case "register" -> new RegisterRequest(childId == null ? header : childRegistration(header, body, messageId));
            default -> decodeOther(suffix, body, header, messageId, prefix, childId != null);
        });
    }

    /** A gateway registering a sub-device names the product it joins: {@code {"messageId":"r1","productId":"sensor"}}. */
    private static MessageHeader childRegistration(MessageHeader header, ObjectNode body, String messageId) {
        JsonNode product = body.get("productId");
        if (product == null || !product.isTextual() || !Identifiers.OBJECT_ID.matcher(product.asText()).matches()) {
            throw new CodecException(ErrorCode.MALFORMED, "productId is required and must be a product id", messageId);
        }
        return new MessageHeader(header.messageId(), product.asText(), header.deviceId(), header.timestamp(), header.headers());
    }

    private static DeviceMessage decodeOther(String suffix, ObjectNode body, MessageHeader header, String messageId, String prefix,
                                             boolean child) {
        if (suffix.startsWith("event/")) {
            String eventId = suffix.substring("event/".length());
            if (eventId.isEmpty() || eventId.contains("/")) {
                throw new CodecException(ErrorCode.UNSUPPORTED_TOPIC, "event topic must be " + prefix + "/event/{eventId}", messageId);
            }
            return new DeviceEvent(header, eventId, body.has("data") ? toJava(body.get("data")) : null);
        }
        if (suffix.equals("online") || suffix.equals("offline")) {
            if (!child) {
                throw new CodecException(ErrorCode.UNSUPPORTED, "a device is online while it is connected: only a gateway reports"
                        + " its sub-devices online or offline (" + prefix + "/child/{childId}/" + suffix + ")", messageId);
            }
            return suffix.equals("online") ? new DeviceOnline(header, null, null) : new DeviceOffline(header, "reported offline");
        }
        if (suffix.equals("shadow/get")) {
            return new ShadowRequest(header, ShadowRequest.Operation.GET, toMap(body));
        }
        if (suffix.equals("shadow/update")) {
            return new ShadowRequest(header, ShadowRequest.Operation.UPDATE, toMap(body));
        }
        throw new CodecException(ErrorCode.UNSUPPORTED_TOPIC, "unknown topic " + prefix + "/" + suffix, messageId);
    }

    /** The topics the platform sends on, after {@code /{productId}/{deviceId}/}. */
    static final Set<String> PLATFORM_TO_DEVICE = Set.of("properties/read", "properties/write", "function/invoke", "error",
            "register/reply", "shadow/get/accepted", "shadow/get/rejected", "shadow/update/accepted", "shadow/update/rejected",
            "shadow/update/delta");

    /**
     * Whether a topic is one the platform sends on ({@code /{p}/{d}/error}, {@code /{p}/{d}/function/invoke}, ...):
     * a message arriving there is never answered with an {@code /error}.
     */
    static boolean isPlatformToDevice(String topic) {
        if (topic == null || !topic.startsWith("/")) {
            return false;
        }
        String[] parts = topic.split("/", 4);
        if (parts.length < 4) {
            return false;
        }
        String suffix = parts[3];
        if (suffix.startsWith("child/")) { // a sub-device's topic: what follows its id
            int slash = suffix.indexOf('/', "child/".length());
            suffix = slash < 0 ? "" : suffix.substring(slash + 1);
        }
        return PLATFORM_TO_DEVICE.contains(suffix);
    }

    @Override
    public EncodedMessage encode(DeviceMessage message, CodecSession session) {
        // a message to a sub-device goes through its gateway's session, under the gateway's topics
        String prefix = message.deviceId().equals(session.deviceId()) ? "/" + message.productId() + "/" + message.deviceId()
                : prefix(session) + "/child/" + message.deviceId();
        ObjectNode body = JSON.createObjectNode();
        body.put("messageId", message.messageId());
        String suffix;
        if (message instanceof DeviceCommand command) {
            suffix = encodeCommand(command, body);
        } else if (message instanceof ErrorMessage error) {
            if (isPlatformToDevice(error.topic())) {
                throw new CodecException(ErrorCode.UNSUPPORTED, "no /error in reply to " + error.topic()
                        + ": the platform sends on that topic, so what came on it is a copy of its own message or of another"
                        + " error, and answering it could start a loop", message.messageId());
            }
            suffix = "error";
            body.put("code", error.code().wireName());
            body.put("message", error.message());
            body.put("topic", error.topic());
        } else if (message instanceof RegisterReply reply) {
            suffix = "register/reply";
            body.put("success", reply.success());
            if (reply.success()) {
                if (reply.deviceSecret() != null) { // a registered sub-device gets none: its gateway speaks for it
                    body.put("deviceSecret", reply.deviceSecret());
                }
            } else {
                body.put("code", reply.code());
                body.put("message", reply.message());
            }
        } else if (message instanceof ShadowReply reply) {
            suffix = reply.kind().topicSuffix();
            reply.body().forEach((k, v) -> body.set(k, JSON.valueToTree(v)));
        } else if (message instanceof DirectMessage direct) {
            return new EncodedMessage(prefix + "/direct", direct.payload(), Map.of());
        } else {
            throw new CodecException(ErrorCode.UNSUPPORTED,
                    "the official protocol sends no " + message.type().topicSuffix() + " message to devices", message.messageId());
        }
        try {
            return new EncodedMessage(prefix + "/" + suffix, JSON.writeValueAsBytes(body), Map.of());
        } catch (JsonProcessingException e) {
            throw new CodecException(ErrorCode.INTERNAL, "cannot write JSON: " + e.getOriginalMessage(), message.messageId());
        }
    }

    private static String encodeCommand(DeviceCommand command, ObjectNode body) {
        if (command instanceof ReadProperties read) {
            ArrayNode ids = body.putArray("properties");
            read.properties().forEach(ids::add);
            return "properties/read";
        }
        if (command instanceof WriteProperties write) {
            body.set("properties", JSON.valueToTree(write.properties()));
            return "properties/write";
        }
        InvokeFunction invoke = (InvokeFunction) command;
        body.put("functionId", invoke.functionId());
        ArrayNode inputs = body.putArray("inputs");
        invoke.inputs().forEach((name, value) -> inputs.addObject().put("name", name).set("value", JSON.valueToTree(value)));
        return "function/invoke";
    }

    @Override
    public boolean maySubscribe(String topicFilter, CodecSession session) {
        String prefix = prefix(session);
        if (session.registrationOnly()) {
            return topicFilter.equals(prefix + "/register/reply");
        }
        return topicFilter.equals(prefix + "/#") || topicFilter.startsWith(prefix + "/");
    }

    private static String prefix(CodecSession session) {
        return "/" + session.productId() + "/" + session.deviceId();
    }

    private static ObjectNode parse(EncodedMessage message) {
        JsonNode node;
        try {
            node = JSON.readTree(message.payload());
        } catch (IOException e) {
            String reason = e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage();
            throw new CodecException(ErrorCode.MALFORMED, "payload is not valid UTF-8 JSON: " + reason);
        }
        if (node == null || !node.isObject()) {
            throw new CodecException(ErrorCode.MALFORMED, "payload must be a JSON object");
        }
        return (ObjectNode) node;
    }

    private static String messageId(ObjectNode body) {
        JsonNode id = body.get("messageId");
        if (id == null || !id.isTextual() || id.asText().isEmpty()) {
            throw new CodecException(ErrorCode.MALFORMED, "messageId is required and must be a non-empty string");
        }
        if (id.asText().length() > MessageHeader.MAX_MESSAGE_ID_LENGTH) {
            throw new CodecException(ErrorCode.MALFORMED,
                    "messageId is longer than " + MessageHeader.MAX_MESSAGE_ID_LENGTH + " characters");
        }
        return id.asText();
    }

    /** The header of an uplink: the session's device, or the sub-device {@code childId} with no product (the platform's to fill in). */
    private static MessageHeader header(String messageId, CodecSession session, ObjectNode body, String childId) {
        long timestamp = System.currentTimeMillis();
        if (body != null && body.has("timestamp")) {
            JsonNode ts = body.get("timestamp");
            if (!ts.canConvertToExactIntegral() || !ts.isNumber() || ts.asLong() <= 0) {
                throw new CodecException(ErrorCode.MALFORMED, "timestamp must be positive epoch milliseconds", messageId);
            }
            timestamp = ts.asLong();
        }
        return childId == null ? new MessageHeader(messageId == null ? "" : messageId, session.productId(), session.deviceId(), timestamp,
                Map.of()) : new MessageHeader(messageId == null ? "" : messageId, null, childId, timestamp, Map.of());
    }

    private static boolean success(ObjectNode body, String messageId) {
        JsonNode s = body.get("success");
        if (s == null || s.isNull()) {
            return true;
        }
        if (!s.isBoolean()) {
            throw new CodecException(ErrorCode.MALFORMED, "success must be true or false", messageId);
        }
        return s.asBoolean();
    }

    private static String text(ObjectNode body, String field) {
        JsonNode n = body.get(field);
        return n == null || n.isNull() ? null : n.isTextual() ? n.asText() : n.toString();
    }

    private static Map<String, Object> requireObject(ObjectNode body, String field, String messageId) {
        JsonNode n = body.get(field);
        if (n == null || !n.isObject()) {
            throw new CodecException(ErrorCode.MALFORMED, field + " is required and must be a JSON object", messageId);
        }
        return toMap(n);
    }

    private static Map<String, Object> optionalObject(ObjectNode body, String field, String messageId) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return Map.of();
        }
        if (!n.isObject()) {
            throw new CodecException(ErrorCode.MALFORMED, field + " must be a JSON object", messageId);
        }
        return toMap(n);
    }

    /**
     * The object's members as Java values, in their order. A walk of the parsed tree: what {@code convertValue} gives
     * (numbers as Integer, Long, BigInteger or Double as parsed) without serialising the tree again per message.
     */
    private static Map<String, Object> toMap(JsonNode node) {
        Map<String, Object> out = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> out.put(e.getKey(), toJava(e.getValue())));
        return out;
    }

    private static Object toJava(JsonNode node) {
        if (node.isObject()) {
            return toMap(node);
        }
        if (node.isArray()) {
            List<Object> out = new ArrayList<>(node.size());
            node.forEach(n -> out.add(toJava(n)));
            return out;
        }
        if (node.isNumber()) {
            return node.numberValue();
        }
        if (node.isTextual()) {
            return node.textValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        return null;
    }
}
