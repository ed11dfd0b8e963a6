package io.thingport.bridge.onenet;

import io.thingport.api.ThingportException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * OneNET Studio's access token (API {@code authorization} header, MQTT password):
 * {@code version=2018-10-31&res={res}&et={unixSec}&method={md5|sha1|sha256}&sign={sign}}, each value URL-encoded, with
 * {@code sign = Base64(HMAC_method(Base64Decode(key), et + "\n" + method + "\n" + res + "\n" + version))}.
 */
public final class StudioToken {
    /** The token version this module writes. */
    public static final String VERSION = "2018-10-31";

    private StudioToken() {
    }

    /**
     * The {@code sign} value.
     *
     * @param base64Key the access key (product, device or user key) as OneNET shows it, Base64
     * @param et the expiry time, Unix seconds, as written in the token
     * @throws ThingportException {@code INVALID_ARGUMENT} when the key is not Base64 (the key is not shown)
     */
    public static String sign(String base64Key, String et, SignMethod method, String res, String version) {
        Objects.requireNonNull(method, "method");
        String text = et + "\n" + method.wireName() + "\n" + res + "\n" + version;
        try {
            Mac mac = Mac.getInstance(method.algorithm());
            mac.init(new SecretKeySpec(decodeKey(base64Key), method.algorithm()));
            return Base64.getEncoder().encodeToString(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(method.algorithm() + " is not available", e);
        }
    }

    /**
     * A complete token.
     *
     * @param base64Key the access key, Base64
     * @param res the resource, e.g. {@code products/{pid}} or {@code products/{pid}/devices/{name}}
     * @param expiresAt the expiry time, Unix seconds
     */
    public static String create(String base64Key, String res, long expiresAt, SignMethod method) {
        String et = Long.toString(expiresAt);
        String sign = sign(base64Key, et, method, res, VERSION);
        return "version=" + encode(VERSION) + "&res=" + encode(res) + "&et=" + et + "&method=" + method.wireName() + "&sign="
                + encode(sign);
    }

    private static byte[] decodeKey(String base64Key) {
        Objects.requireNonNull(base64Key, "base64Key");
        try {
            byte[] key = Base64.getDecoder().decode(base64Key);
            if (key.length == 0) {
                throw ThingportException.invalidArgument("the OneNET access key is empty");
            }
            return key;
        } catch (IllegalArgumentException e) {
            throw ThingportException.invalidArgument("the OneNET access key is not Base64");
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
