package io.thingport.bridge.onenet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thingport.bridge.onenet.fake.FakeOneNetPushes;
import io.thingport.bridge.support.PushRejected;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UrlVerificationTest {
    private static final String TOKEN = "thingport01";

    @Test
    void aValidVerificationIsAnsweredWithMsgExactly() {
        // Verifies that a correctly signed verification is answered with the msg parameter, unchanged.
        // GIVEN a verification signed with the configured token
        Map<String, String> query = FakeOneNetPushes.urlVerification(TOKEN, "xAbc9_Z", "nonce123");
        // WHEN it is answered
        String answer = UrlVerification.answer(TOKEN, query);
        // THEN the body is msg
        assertThat(answer).isEqualTo("xAbc9_Z");
    }

    @Test
    void aPlusThatBecameASpaceIsReadAsPlus() {
        // Verifies that a '+' of the signature sent unencoded and decoded as ' ' still matches.
        // GIVEN a msg/nonce whose signature contains '+', sent with the '+' not percent-encoded
        String msg = findMsgWithPlusInSignature();
        String signature = FakeOneNetPushes.signature(TOKEN, "n1", msg);
        String decodedByServer = URLDecoder.decode("signature=" + signature, StandardCharsets.UTF_8).substring("signature=".length());
        assertThat(decodedByServer).contains(" ").doesNotContain("+");
        Map<String, String> query = Map.of("msg", msg, "nonce", "n1", "signature", decodedByServer);
        // WHEN it is answered THEN it is accepted
        assertThat(UrlVerification.answer(TOKEN, query)).isEqualTo(msg);
    }

    @Test
    void aRawQueryIsDecodedEncodedOrNot() {
        // Verifies that queryParams decodes a percent-encoded query, and that an unencoded '+' in it still verifies.
        // GIVEN the fake's encoded query, and the same query with the signature's '+' left unencoded
        String msg = findMsgWithPlusInSignature();
        String encoded = FakeOneNetPushes.urlVerificationQuery(TOKEN, msg, "n1");
        String unencoded = "msg=" + msg + "&nonce=n1&signature=" + FakeOneNetPushes.signature(TOKEN, "n1", msg);
        // WHEN decoded and answered THEN both give msg
        assertThat(encoded).contains("%2B");
        assertThat(UrlVerification.answer(TOKEN, UrlVerification.queryParams(encoded))).isEqualTo(msg);
        assertThat(UrlVerification.answer(TOKEN, UrlVerification.queryParams(unencoded))).isEqualTo(msg);
        // AND a repeated parameter or bad encoding is MALFORMED
        assertThatThrownBy(() -> UrlVerification.queryParams("msg=a&msg=b"))
                .isInstanceOf(PushRejected.class).hasMessageContaining("'msg' is repeated");
        assertThatThrownBy(() -> UrlVerification.queryParams("msg=%zz"))
                .isInstanceOf(PushRejected.class).hasMessageContaining("percent-encoding");
    }

    @Test
    void aWrongSignatureOrTokenIsRejected() {
        // Verifies that a signature made with another token is a SIGNATURE rejection (4xx) that names no secret.
        // GIVEN a verification signed with another token
        Map<String, String> query = FakeOneNetPushes.urlVerification("otherToken", "abc", "n1");
        // WHEN it is answered THEN it is rejected
        assertThatThrownBy(() -> UrlVerification.answer(TOKEN, query))
                .isInstanceOfSatisfying(PushRejected.class, e -> {
                    assertThat(e.reason()).isEqualTo(PushRejected.Reason.SIGNATURE);
                    assertThat(e.httpStatus()).isEqualTo(401);
                })
                .hasMessageContaining("'signature'")
                .hasMessageNotContaining(TOKEN);
    }

    @Test
    void aMissingParameterIsNamed() {
        // Verifies that each missing parameter is a MALFORMED rejection naming it.
        for (String missing : new String[] {"msg", "nonce", "signature"}) {
            // GIVEN a verification without one parameter
            Map<String, String> query = new HashMap<>(FakeOneNetPushes.urlVerification(TOKEN, "abc", "n1"));
            query.remove(missing);
            // WHEN it is answered THEN the parameter is named
            assertThatThrownBy(() -> UrlVerification.answer(TOKEN, query))
                    .isInstanceOfSatisfying(PushRejected.class, e -> assertThat(e.reason()).isEqualTo(PushRejected.Reason.MALFORMED))
                    .hasMessageContaining("'" + missing + "' is missing");
        }
    }

    @Test
    void anOverlongParameterIsTooLarge() {
        // Verifies that a query value longer than the bound is refused as TOO_LARGE before hashing.
        // GIVEN a msg of 2000 characters
        Map<String, String> query = new LinkedHashMap<>(FakeOneNetPushes.urlVerification(TOKEN, "a".repeat(2000), "n1"));
        // WHEN it is answered THEN it is refused naming msg
        assertThatThrownBy(() -> UrlVerification.answer(TOKEN, query))
                .isInstanceOfSatisfying(PushRejected.class, e -> assertThat(e.reason()).isEqualTo(PushRejected.Reason.TOO_LARGE))
                .hasMessageContaining("'msg'");
    }

    private static String findMsgWithPlusInSignature() {
        for (int i = 0; i < 10_000; i++) {
            String msg = "m" + i;
            if (FakeOneNetPushes.signature(TOKEN, "n1", msg).contains("+")) {
                return msg;
            }
        }
        throw new AssertionError("no msg gives a signature with '+'");
    }
}
