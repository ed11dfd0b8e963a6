package io.thingport.bridge.ctwing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** The CTWing API signature: the string to sign and Base64(HMAC-SHA1(appSecret, string)). */
class CtwingSignerTest {
    static final String APP_KEY = "demoAppKey01";
    static final String APP_SECRET = "demoSecret-0123";
    static final String MASTER_KEY = "b3f0c2d4e5a6478899aabbccddeeff00";
    static final long TIMESTAMP = 1650554828842L;
    static final String BODY =
            "{\"content\":{\"payload\":\"AA01\",\"dataType\":2},\"deviceId\":\"40edca19\",\"operator\":\"admin\",\"productId\":15045240,"
                    + "\"ttl\":7200,\"level\":1}";

    /**
     * Computed once, independently, with bash:
     * {@code printf 'application:demoAppKey01\ntimestamp:1650554828842\nMasterKey:b3f0...ff00\n<BODY>\n'
     * | openssl dgst -sha1 -hmac 'demoSecret-0123' -binary | base64}.
     */
    static final String POST_SIGNATURE = "0zqSSdmsg5839TK3Mij1EXpaIFU=";
    /** The same for the query call: MasterKey, commandId, deviceId, productId lines, no body. */
    static final String GET_SIGNATURE = "O2An1ckBKNQiGeGoFNZAIA1NQ3s=";

    private static String hmacSha1Base64(String key, String text) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        return Base64.getEncoder().encodeToString(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void postVectorWithMasterKeyAndBody() throws Exception {
        // Verifies the string to sign of a POST (application, timestamp, MasterKey, body, each line ending in \n) and its
        // signature, both against javax.crypto directly and against a literal computed once with openssl.
        // GIVEN the create-command body and the MasterKey
        String expectedText = "application:demoAppKey01\ntimestamp:1650554828842\nMasterKey:" + MASTER_KEY + "\n" + BODY + "\n";
        // WHEN
        String text = CtwingSigner.stringToSign(APP_KEY, TIMESTAMP, Map.of("MasterKey", MASTER_KEY), BODY.getBytes(StandardCharsets.UTF_8));
        String signature = CtwingSigner.signature(APP_SECRET, text);
        // THEN
        assertThat(text).isEqualTo(expectedText);
        assertThat(signature).isEqualTo(hmacSha1Base64(APP_SECRET, expectedText));
        assertThat(signature).isEqualTo(POST_SIGNATURE);
    }

    @Test
    void getVectorSortsQueryAndMasterKey() throws Exception {
        // Verifies that query parameters and MasterKey are signed sorted by key (MasterKey first: upper case sorts
        // before lower case), whatever their URL order, and that an empty body adds no line.
        // GIVEN the query in URL order
        Map<String, String> params = new LinkedHashMap<>();
        params.put("commandId", "cmd-1");
        params.put("productId", "15045240");
        params.put("deviceId", "40edca19");
        params.put("MasterKey", MASTER_KEY);
        String expectedText = "application:demoAppKey01\ntimestamp:1650554828842\nMasterKey:" + MASTER_KEY
                + "\ncommandId:cmd-1\ndeviceId:40edca19\nproductId:15045240\n";
        // WHEN
        String text = CtwingSigner.stringToSign(APP_KEY, TIMESTAMP, params, new byte[0]);
        // THEN
        assertThat(text).isEqualTo(expectedText);
        assertThat(CtwingSigner.stringToSign(APP_KEY, TIMESTAMP, params, null)).isEqualTo(expectedText);
        assertThat(CtwingSigner.signature(APP_SECRET, text)).isEqualTo(hmacSha1Base64(APP_SECRET, expectedText)).isEqualTo(GET_SIGNATURE);
    }

    @Test
    void signedHeadersOfTheCommandCalls() {
        // Verifies that ApiRequest.signedHeaders carries application, timestamp, version, MasterKey, signature and the
        // JSON content type, with the pinned signatures of both vectors.
        // GIVEN the two command calls
        CommandPayload payload = CommandPayload.hex(new byte[] {(byte) 0xAA, 0x01});
        ApiRequest create = CommandRequests.create(15045240L, "40edca19", "admin", payload, 7200, 1);
        ApiRequest query = CommandRequests.query(15045240L, "40edca19", "cmd-1");
        // WHEN
        Map<String, String> createHeaders = create.signedHeaders(APP_KEY, APP_SECRET, MASTER_KEY, TIMESTAMP);
        Map<String, String> queryHeaders = query.signedHeaders(APP_KEY, APP_SECRET, MASTER_KEY, TIMESTAMP);
        // THEN
        assertThat(new String(create.body(), StandardCharsets.UTF_8)).isEqualTo(BODY);
        assertThat(createHeaders).containsExactly(
                Map.entry("application", APP_KEY),
                Map.entry("timestamp", "1650554828842"),
                Map.entry("version", "20190712225145"),
                Map.entry("MasterKey", MASTER_KEY),
                Map.entry("signature", POST_SIGNATURE),
                Map.entry("Content-Type", "application/json; charset=UTF-8"));
        assertThat(queryHeaders).containsEntry("version", "20190712225241").containsEntry("signature", GET_SIGNATURE);
    }
}
