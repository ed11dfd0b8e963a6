package io.thingport.bridge.onenet.fake;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.thingport.bridge.onenet.LegacyCipher;
import io.thingport.bridge.onenet.StudioCipher;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the bodies OneNET sends, exactly as documented in the wire spec: legacy plain, batched and encrypted data
 * pushes, OneNET Studio plain and secure pushes, and URL verification queries. Message JSON is taken as text and placed
 * into the body as it is (so that a test controls the exact bytes the signature covers). The signature is computed
 * here independently of the main code. JDK and Jackson only, so integration tests can use it too.
 */
public final class FakeOneNetPushes {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private FakeOneNetPushes() {
    }

    /** {@code Base64(MD5(token + nonce + payload))}. */
    public static String signature(String token, String nonce, String payload) {
        try {
            byte[] digest = MessageDigest.getInstance("MD5").digest((token + nonce + payload).getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The query parameters of a URL verification, as a server decodes them. */
    public static Map<String, String> urlVerification(String token, String msg, String nonce) {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("msg", msg);
        query.put("nonce", nonce);
        query.put("signature", signature(token, nonce, msg));
        return query;
    }

    /** The raw query string of a URL verification ({@code msg=..&nonce=..&signature=..}), URL-encoded. */
    public static String urlVerificationQuery(String token, String msg, String nonce) {
        StringBuilder query = new StringBuilder();
        urlVerification(token, msg, nonce).forEach((name, value) -> query.append(query.length() == 0 ? "" : "&").append(name)
                .append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8)));
        return query.toString();
    }

    /** {@code {"msg":<msgJson>,"msg_signature":"..","nonce":".."}} with msg inserted verbatim. */
    public static byte[] legacyPlain(String token, String nonce, String msgJson) {
        return utf8("{\"msg\":" + msgJson + ",\"msg_signature\":" + quote(signature(token, nonce, msgJson)) + ",\"nonce\":" + quote(nonce)
                + "}");
    }

    /** A batched legacy push: {@code msg} is the array of the given message texts. */
    public static byte[] legacyBatched(String token, String nonce, List<String> msgJsons) {
        return legacyPlain(token, nonce, "[" + String.join(",", msgJsons) + "]");
    }

    /** {@code {"enc_msg":"..","msg_signature":"..","nonce":".."}}, the signature over enc_msg. */
    public static byte[] legacyEncrypted(String token, String aesKey, String nonce, String msgJson) {
        return legacyEncryptedRaw(token, nonce, LegacyCipher.encrypt(aesKey, msgJson));
    }

    /** An encrypted legacy push around a given enc_msg (e.g. one with a wrong length field). */
    public static byte[] legacyEncryptedRaw(String token, String nonce, String encMsg) {
        return utf8("{\"enc_msg\":" + quote(encMsg) + ",\"msg_signature\":" + quote(signature(token, nonce, encMsg)) + ",\"nonce\":"
                + quote(nonce) + "}");
    }

    /** {@code {"msg":"<JSON string>","nonce":"..","signature":"..","time":..,"id":".."}}. */
    public static byte[] studioPlain(String token, String nonce, String id, long time, String msgJson) {
        return studio(token, nonce, id, time, msgJson);
    }

    /** A secure-mode Studio push: msg = Base64(AES-128-CBC(msgJson)), the signature over that ciphertext. */
    public static byte[] studioSecure(String token, String aesKey, String nonce, String id, long time, String msgJson) {
        return studio(token, nonce, id, time, StudioCipher.encrypt(aesKey, msgJson));
    }

    private static byte[] studio(String token, String nonce, String id, long time, String msg) {
        ObjectNode body = MAPPER.createObjectNode();
        body.put("msg", msg);
        body.put("nonce", nonce);
        body.put("signature", signature(token, nonce, msg));
        body.put("time", time);
        body.put("id", id);
        return utf8(body.toString());
    }

    /** A legacy type 1 message: {@code {"type":1,"dev_id":..,"ds_id":"..","at":..,"value":<valueJson>}}. */
    public static String legacyDataPoint(long devId, String dsId, long at, String valueJson) {
        return "{\"type\":1,\"dev_id\":" + devId + ",\"ds_id\":" + quote(dsId) + ",\"at\":" + at + ",\"value\":" + valueJson + "}";
    }

    /** A legacy type 2 message. */
    public static String legacyStatus(long devId, boolean online, long at, int loginType) {
        return "{\"at\":" + at + ",\"login_type\":" + loginType + ",\"type\":2,\"dev_id\":" + devId + ",\"status\":" + (online ? 1 : 0)
                + "}";
    }

    /** A legacy type 7 message. */
    public static String legacyCommandResult(long devId, String cmdId, int cmdType, long at) {
        return "{\"type\":7,\"dev_id\":" + devId + ",\"cmd_id\":" + quote(cmdId) + ",\"cmd_type\":" + cmdType + ",\"at\":" + at + "}";
    }

    /** JSON text of a string. */
    public static String quote(String text) {
        try {
            return MAPPER.writeValueAsString(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
