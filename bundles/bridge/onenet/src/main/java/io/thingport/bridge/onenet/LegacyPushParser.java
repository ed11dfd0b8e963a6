package io.thingport.bridge.onenet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.thingport.bridge.support.PushRejected;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads a OneNET legacy data push ({@code POST} body) into messages, after checking its signature.
 *
 * <ul>
 *   <li>plain: {@code {"msg":{..} or [..],"msg_signature":"..","nonce":".."}}, the signature over the raw text of
 *       {@code msg} exactly as received;</li>
 *   <li>encrypted (when an aesKey is configured): {@code {"enc_msg":"..","msg_signature":"..","nonce":".."}}, the
 *       signature over the {@code enc_msg} string, checked before decrypting.</li>
 * </ul>
 *
 * <p>With an aesKey configured only encrypted pushes are accepted, without one only plain pushes. A batch ({@code msg}
 * as an array) holds at most {@link PushLimits#maxBatch()} messages; one bad message rejects the whole push.
 */
public final class LegacyPushParser {
    private final String token;
    private final Optional<String> aesKey;
    private final PushLimits limits;

    /**
     * @param token the push token configured on OneNET
     * @param aesKey the 43-character aesKey for encrypted mode, or empty for plain mode
     * @param limits the bounds applied to each push
     * @throws IllegalArgumentException when the aesKey is not 43 Base64 characters (the key is not shown)
     */
    public LegacyPushParser(String token, Optional<String> aesKey, PushLimits limits) {
        this.token = Objects.requireNonNull(token, "token");
        this.aesKey = Objects.requireNonNull(aesKey, "aesKey");
        this.limits = Objects.requireNonNull(limits, "limits");
        aesKey.ifPresent(LegacyCipher::key);
    }

    /**
     * The messages of one push, in the order of the body.
     *
     * @throws PushRejected naming the field and the problem
     */
    public List<OneNetMessage> parse(byte[] body) {
        PushJson json = PushJson.body(body, limits);
        ObjectNode root = json.object();
        String nonce = json.requiredText("nonce");
        JsonNode msg;
        if (root.has("enc_msg")) {
            if (root.has("msg")) {
                throw PushRejected.malformed("the body carries both 'msg' and 'enc_msg'");
            }
            String encMsg = json.requiredText("enc_msg");
            if (aesKey.isEmpty()) {
                throw new PushRejected(PushRejected.Reason.DECRYPT, "'enc_msg' received but no aesKey is configured");
            }
            OneNetSignature.require(token, nonce, encMsg, json.requiredText("msg_signature"), "msg_signature");
            msg = PushJson.text(LegacyCipher.decrypt(aesKey.get(), encMsg), limits, "the decrypted 'enc_msg'");
        } else {
            String raw = json.raw("msg");
            if (raw == null) {
                throw PushRejected.malformed(root.has("msg") ? "'msg' must be a JSON object or array" : "'msg' is missing");
            }
            if (aesKey.isPresent()) {
                throw new PushRejected(PushRejected.Reason.DECRYPT, "'msg' received in plain text but an aesKey is configured");
            }
            OneNetSignature.require(token, nonce, raw, json.requiredText("msg_signature"), "msg_signature");
            msg = root.get("msg");
        }
        return messages(msg);
    }

    private List<OneNetMessage> messages(JsonNode msg) {
        if (msg.isObject()) {
            return List.of(message(new Fields(msg, "msg")));
        }
        if (!msg.isArray()) {
            throw PushRejected.malformed("'msg' must be a JSON object or array");
        }
        if (msg.size() > limits.maxBatch()) {
            throw new PushRejected(PushRejected.Reason.TOO_LARGE,
                    "'msg' holds " + msg.size() + " messages, more than " + limits.maxBatch());
        }
        List<OneNetMessage> messages = new ArrayList<>(msg.size());
        for (int i = 0; i < msg.size(); i++) {
            messages.add(message(new Fields(msg.get(i), "msg[" + i + "]")));
        }
        return List.copyOf(messages);
    }

    private static OneNetMessage message(Fields fields) {
        int type = fields.requiredInt("type");
        String devId = fields.requiredId("dev_id");
        return switch (type) {
            case 1 -> new LegacyDataPoint(devId, fields.requiredId("ds_id"), fields.requiredLong("at"),
                    JsonValues.toJava(valueOf(fields)));
            case 2 -> new LegacyDeviceStatus(devId, status(fields), fields.optionalLong("at"), fields.optionalInt("login_type"));
            case 7 -> new LegacyCommandResult(devId, fields.requiredId("cmd_id"), commandKind(fields), fields.optionalLong("at"));
            default -> throw PushRejected.malformed("'" + fields.name("type") + "' " + type + " is not a known message type (1, 2, 7)");
        };
    }

    private static JsonNode valueOf(Fields fields) {
        if (!fields.has("value")) {
            throw fields.missing("value");
        }
        return fields.node("value");
    }

    private static boolean status(Fields fields) {
        int status = fields.requiredInt("status");
        if (status != 0 && status != 1) {
            throw PushRejected.malformed("'" + fields.name("status") + "' must be 1 (online) or 0 (offline), not " + status);
        }
        return status == 1;
    }

    private static LegacyCommandResult.Kind commandKind(Fields fields) {
        int kind = fields.requiredInt("cmd_type");
        for (LegacyCommandResult.Kind candidate : LegacyCommandResult.Kind.values()) {
            if (candidate.wire() == kind) {
                return candidate;
            }
        }
        throw PushRejected.malformed("'" + fields.name("cmd_type") + "' must be 1 (ACK) or 2 (Confirm), not " + kind);
    }
}
