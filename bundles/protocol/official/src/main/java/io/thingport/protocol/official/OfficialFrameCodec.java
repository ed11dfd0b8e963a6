package io.thingport.protocol.official;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.thingport.api.ErrorCode;
import io.thingport.api.message.DeviceMessage;
import io.thingport.api.protocol.AuthFailure;
import io.thingport.api.protocol.AuthRequest;
import io.thingport.api.protocol.AuthResult;
import io.thingport.api.protocol.CodecException;
import io.thingport.api.protocol.CodecSession;
import io.thingport.api.protocol.DeviceCodec;
import io.thingport.api.protocol.EncodedMessage;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The official protocol on transports that carry frames instead of topics (TCP, UDP, WebSocket): every frame is
 * {@code <topic> <payload>} — the topic, one space, then the same payload as on MQTT. The first frame of a
 * connection is the login {@code /auth {"clientId":..,"username":..,"password":..}} (the values of an MQTT CONNECT)
 * and is answered with {@code /auth/reply {"success":true,...}} or {@code {"success":false,"code":..,"message":..}}.
 * A refusal's code and message are the failure's {@link AuthFailure#deviceCode()} and {@link AuthFailure#deviceMessage()}:
 * one {@code bad_credentials} for an unknown device, a bad signature or a stale timestamp alike (the real reason is in
 * the device log only).
 */
final class OfficialFrameCodec implements DeviceCodec {
    static final String AUTH_TOPIC = "/auth";

    private final OfficialCodec topics;

    OfficialFrameCodec(OfficialCodec topics) {
        this.topics = topics;
    }

    @Override
    public List<DeviceMessage> decode(EncodedMessage message, CodecSession session) {
        return topics.decode(split(message.payload()), session);
    }

    @Override
    public EncodedMessage encode(DeviceMessage message, CodecSession session) {
        return join(topics.encode(message, session));
    }

    @Override
    public boolean maySubscribe(String topicFilter, CodecSession session) {
        return false;
    }

    @Override
    public String topicOf(EncodedMessage message) {
        try {
            return split(message.payload()).topic();
        } catch (CodecException e) {
            return "";
        }
    }

    @Override
    public Optional<EncodedMessage> loginReply(AuthResult result) {
        ObjectNode body = OfficialCodec.JSON.createObjectNode();
        body.put("success", result.accepted());
        if (result.accepted()) {
            body.put("deviceId", result.deviceId());
            body.put("productId", result.productId());
        } else {
            AuthFailure failure = result.failure() == null ? AuthFailure.NOT_AUTHORIZED : result.failure();
            body.put("code", failure.deviceCode());
            body.put("message", failure.deviceMessage());
        }
        try {
            return Optional.of(join(new EncodedMessage(AUTH_TOPIC + "/reply", OfficialCodec.JSON.writeValueAsBytes(body), null)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code <topic> <payload>} → topic and payload (a frame without a space is a topic with an empty payload). */
    static EncodedMessage split(byte[] frame) {
        int space = -1;
        for (int i = 0; i < frame.length; i++) {
            if (frame[i] == ' ') {
                space = i;
                break;
            }
        }
        String topic = new String(frame, 0, space < 0 ? frame.length : space, StandardCharsets.UTF_8).trim();
        if (!topic.startsWith("/")) {
            throw new CodecException(ErrorCode.MALFORMED, "a frame must be '<topic> <payload>' with a topic starting with /");
        }
        byte[] payload = space < 0 ? new byte[0] : Arrays.copyOfRange(frame, space + 1, frame.length);
        return new EncodedMessage(topic, payload, null);
    }

    static EncodedMessage join(EncodedMessage m) {
        byte[] topic = m.topic().getBytes(StandardCharsets.UTF_8);
        byte[] frame = new byte[topic.length + 1 + m.payload().length];
        System.arraycopy(topic, 0, frame, 0, topic.length);
        frame[topic.length] = ' ';
        System.arraycopy(m.payload(), 0, frame, topic.length + 1, m.payload().length);
        return new EncodedMessage("", frame, m.headers());
    }

    /**
     * Reads a login frame into the credentials it carries; a frame that is not {@code /auth {...}} yields a request
     * with empty credentials (refused as malformed), keeping the client certificates.
     */
    static AuthRequest credentials(AuthRequest request) {
        String clientId = "";
        String username = "";
        String password = "";
        try {
            EncodedMessage login = split(request.frame());
            if (login.topic().equals(AUTH_TOPIC)) {
                var body = OfficialCodec.JSON.readTree(login.payload());
                if (body != null && body.isObject()) {
                    clientId = body.path("clientId").asText("");
                    username = body.path("username").asText("");
                    password = body.path("password").asText("");
                }
            }
        } catch (CodecException | java.io.IOException e) {
            // malformed: empty credentials
        }
        return new AuthRequest(request.transport(), clientId, username, password.getBytes(StandardCharsets.UTF_8),
                request.remoteAddress(), null, request.certificates(), false);
    }
}
