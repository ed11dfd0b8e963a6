package io.thingport.bridge.onenet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.thingport.bridge.onenet.fake.FakeOneNetPushes;
import io.thingport.bridge.support.PushRejected;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class LegacyPushParserTest {
    private static final String TOKEN = "thingport01";
    private static final String SPEC_MSG = "{\"type\":1,\"dev_id\":2016617,\"ds_id\":\"temperature\",\"at\":1466133706841,\"value\":42}";

    private final LegacyPushParser plain = new LegacyPushParser(TOKEN, Optional.empty(), PushLimits.DEFAULT);
    private final LegacyPushParser encrypted = new LegacyPushParser(TOKEN, Optional.of(CipherTest.LEGACY_KEY), PushLimits.DEFAULT);

    @Test
    void theSpecsExampleIsReadVerbatim() {
        // Verifies that the spec's data push example, laid out as in the spec, gives one data point.
        // GIVEN the spec's body (its line break included) with a real signature in place of "<b64 md5>"
        String body = "{\"msg\":" + SPEC_MSG + ",\n \"msg_signature\":\"" + FakeOneNetPushes.signature(TOKEN, "abcdefgh", SPEC_MSG)
                + "\",\"nonce\":\"abcdefgh\"}";
        // WHEN it is parsed
        List<OneNetMessage> messages = plain.parse(utf8(body));
        // THEN it is the data point of the example
        assertThat(messages).containsExactly(new LegacyDataPoint("2016617", "temperature", 1466133706841L, 42));
    }

    @Test
    void theSignatureCoversTheRawMsgTextNotARewrite() {
        // Verifies that msg_signature is checked over msg exactly as received (spaces, key order, escapes).
        // GIVEN a msg with spaces, unusual key order and a \\u escape, signed over that text
        String msg = "{ \"value\" : \"\\u6e29\" ,  \"at\":1, \"ds_id\":\"t\", \"dev_id\":\"7\" , \"type\" : 1 }";
        byte[] body = FakeOneNetPushes.legacyPlain(TOKEN, "n1", msg);
        // WHEN parsed THEN it is accepted and the escape is decoded
        assertThat(plain.parse(body)).containsExactly(new LegacyDataPoint("7", "t", 1, "温"));
        // AND a signature over the compact rewrite of the same JSON is refused
        String compact = "{\"value\":\"\\u6e29\",\"at\":1,\"ds_id\":\"t\",\"dev_id\":\"7\",\"type\":1}";
        String forged = new String(body, StandardCharsets.UTF_8).replace(FakeOneNetPushes.signature(TOKEN, "n1", msg),
                FakeOneNetPushes.signature(TOKEN, "n1", compact));
        assertRejected(() -> plain.parse(utf8(forged)), PushRejected.Reason.SIGNATURE, "'msg_signature'");
        // AND characters outside the BMP (two UTF-16 units) before msg's end do not shift the raw text
        String emoji = "{\"type\":1,\"dev_id\":7,\"ds_id\":\"\uD83C\uDF21\",\"at\":1,\"value\":\"\u6e29\u5ea6 \uD83D\uDE00\"}";
        byte[] withEmoji = utf8("{\"nonce\":\"\uD83D\uDE00n\",\"msg\":" + emoji + ",\"msg_signature\":\""
                + FakeOneNetPushes.signature(TOKEN, "\uD83D\uDE00n", emoji) + "\"}");
        assertThat(plain.parse(withEmoji)).containsExactly(new LegacyDataPoint("7", "\uD83C\uDF21", 1, "\u6e29\u5ea6 \uD83D\uDE00"));
    }

    @Test
    void statusAndCommandResultsAreRead() {
        // Verifies that type 2 (status, login_type) and type 7 (cmd_type, cmd_id) give their records.
        // GIVEN a status push and a command-result push from the fake
        byte[] status = FakeOneNetPushes.legacyPlain(TOKEN, "n1", FakeOneNetPushes.legacyStatus(2016617, false, 1466133706841L, 7));
        byte[] command = FakeOneNetPushes.legacyPlain(TOKEN, "n2", FakeOneNetPushes.legacyCommandResult(2016617, "cmd-9", 2, 5));
        // WHEN parsed THEN the fields are kept
        assertThat(plain.parse(status))
                .containsExactly(new LegacyDeviceStatus("2016617", false, OptionalLong.of(1466133706841L), OptionalInt.of(7)));
        assertThat(plain.parse(command))
                .containsExactly(new LegacyCommandResult("2016617", "cmd-9", LegacyCommandResult.Kind.CONFIRM, OptionalLong.of(5)));
    }

    @Test
    void anyJsonValueIsKeptAsAJavaValue() {
        // Verifies that values of every JSON kind become Number/String/Boolean/Map/List/null, immutable.
        // GIVEN a batch with an object, an array, a string, a boolean, a decimal, a big integer and null
        List<String> values =
                List.of("{\"lat\":31.2,\"lon\":121.5}", "[1,\"a\"]", "\"on\"", "true", "23.5", "123456789012345678901", "null");
        List<String> msgs = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            msgs.add(FakeOneNetPushes.legacyDataPoint(1, "ds" + i, 100 + i, values.get(i)));
        }
        // WHEN parsed
        List<Object> parsed = plain.parse(FakeOneNetPushes.legacyBatched(TOKEN, "n", msgs)).stream()
                .map(message -> ((LegacyDataPoint) message).value())
                .collect(Collectors.toList());
        // THEN each has its Java form
        assertThat(parsed).containsExactly(Map.of("lat", 31.2, "lon", 121.5), List.of(1, "a"), "on", true, 23.5,
                new BigInteger("123456789012345678901"), null);
        assertThatThrownBy(() -> ((Map<?, ?>) parsed.get(0)).clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void aBatchGivesItsMessagesInOrder() {
        // Verifies that msg as an array gives one message per element, in body order, of mixed types.
        // GIVEN a batch of a data point, a status and a command result
        byte[] body = FakeOneNetPushes.legacyBatched(TOKEN, "n", List.of(FakeOneNetPushes.legacyDataPoint(1, "t", 10, "1"),
                FakeOneNetPushes.legacyStatus(1, true, 11, 10), FakeOneNetPushes.legacyCommandResult(1, "c", 1, 12)));
        // WHEN parsed THEN three messages in order
        assertThat(plain.parse(body)).extracting(Object::getClass)
                .containsExactly(LegacyDataPoint.class, LegacyDeviceStatus.class, LegacyCommandResult.class);
    }

    @Test
    void aBatchIsBounded() {
        // Verifies that 1000 messages are accepted and 1001 refused as TOO_LARGE.
        // GIVEN batches of 1000 and 1001 data points
        List<String> thousand = new ArrayList<>(Collections.nCopies(1000, FakeOneNetPushes.legacyDataPoint(1, "t", 1, "1")));
        byte[] ok = FakeOneNetPushes.legacyBatched(TOKEN, "n", thousand);
        thousand.add(FakeOneNetPushes.legacyDataPoint(1, "t", 2, "1"));
        byte[] tooMany = FakeOneNetPushes.legacyBatched(TOKEN, "n", thousand);
        // WHEN parsed THEN the first is read, the second refused
        assertThat(plain.parse(ok)).hasSize(1000);
        assertRejected(() -> plain.parse(tooMany), PushRejected.Reason.TOO_LARGE, "1001 messages, more than 1000");
    }

    @Test
    void aHugeNumberIsRefusedBeforeItIsConvertedOrTheSignatureChecked() {
        // Verifies that an unsigned body holding a number of 100,000 digits is refused as TOO_LARGE at once, before the
        // signature is checked (converting the number would take seconds of the push server's only thread).
        // GIVEN
        byte[] body = ("{\"msg\":{\"type\":1,\"value\":" + "9".repeat(100_000) + "},\"nonce\":\"n\",\"msg_signature\":\"x\"}")
                .getBytes(StandardCharsets.UTF_8);
        // WHEN / THEN
        assertRejected(() -> plain.parse(body), PushRejected.Reason.TOO_LARGE, "a number of more than 100 characters");
    }

    @Test
    void aRepeatedPushGivesTheSameDedupKeysAndDifferentPointsDifferentKeys() {
        // Verifies that the same push (even re-signed with a new nonce) gives the same keys, and distinct points distinct keys.
        // GIVEN a batch of points that differ in one of value, at, ds_id or dev_id, sent twice with different nonces
        List<String> msgs = List.of(FakeOneNetPushes.legacyDataPoint(1, "t", 10, "1"), FakeOneNetPushes.legacyDataPoint(1, "t", 10, "2"),
                FakeOneNetPushes.legacyDataPoint(1, "t", 11, "1"), FakeOneNetPushes.legacyDataPoint(1, "u", 10, "1"),
                FakeOneNetPushes.legacyDataPoint(2, "t", 10, "1"), FakeOneNetPushes.legacyDataPoint(1, "t", 10, "\"1\""),
                FakeOneNetPushes.legacyStatus(1, true, 10, 7), FakeOneNetPushes.legacyStatus(1, false, 10, 7));
        // WHEN both pushes are parsed
        List<String> first = keys(plain.parse(FakeOneNetPushes.legacyBatched(TOKEN, "nonce-a", msgs)));
        List<String> second = keys(plain.parse(FakeOneNetPushes.legacyBatched(TOKEN, "nonce-b", msgs)));
        // THEN the keys repeat and are pairwise distinct
        assertThat(second).isEqualTo(first);
        assertThat(Set.copyOf(first)).hasSize(msgs.size());
        assertThat(first).allMatch(key -> key.matches("[0-9a-f]{64}"));
    }

    @Test
    void objectKeyOrderInAValueDoesNotChangeItsKey() {
        // Verifies that the dedup key of an object value does not depend on the order of its keys.
        assertThat(new LegacyDataPoint("1", "t", 1, Map.of("a", 1, "b", 2)).dedupKey())
                .isEqualTo(((LegacyDataPoint) plain.parse(FakeOneNetPushes.legacyPlain(TOKEN, "n",
                        FakeOneNetPushes.legacyDataPoint(1, "t", 1, "{\"b\":2,\"a\":1}"))).get(0)).dedupKey());
    }

    @Test
    void aBadSignatureIsRejected() {
        // Verifies that a push signed with another token is a SIGNATURE rejection.
        byte[] body = FakeOneNetPushes.legacyPlain("otherToken", "n1", SPEC_MSG);
        assertRejected(() -> plain.parse(body), PushRejected.Reason.SIGNATURE, "'msg_signature' does not match");
    }

    @Test
    void anEncryptedPushIsCheckedThenDecrypted() {
        // Verifies that enc_msg (single and batched) is signature-checked and decrypted into its messages.
        // GIVEN an encrypted single push and an encrypted batch
        byte[] single = FakeOneNetPushes.legacyEncrypted(TOKEN, CipherTest.LEGACY_KEY, "n1", SPEC_MSG);
        byte[] batch = FakeOneNetPushes.legacyEncrypted(TOKEN, CipherTest.LEGACY_KEY, "n2", "[" + SPEC_MSG + ","
                + FakeOneNetPushes.legacyStatus(2016617, true, 1, 1) + "]");
        // WHEN parsed THEN the messages come out
        assertThat(encrypted.parse(single)).containsExactly(new LegacyDataPoint("2016617", "temperature", 1466133706841L, 42));
        assertThat(encrypted.parse(batch)).hasSize(2);
    }

    @Test
    void aWrongAesKeyIsADecryptRejection() {
        // Verifies that a push encrypted with another aesKey is a DECRYPT rejection without a stack trace to the caller.
        byte[] body = FakeOneNetPushes.legacyEncrypted(TOKEN, CipherTest.OTHER_LEGACY_KEY, "n1", SPEC_MSG);
        assertRejected(() -> encrypted.parse(body), PushRejected.Reason.DECRYPT, "cannot be decrypted with the configured aesKey");
    }

    @Test
    void aWrongLengthFieldInsideTheDecryptedPlaintextIsRejected() {
        // Verifies that a correctly encrypted and signed enc_msg whose length field overruns is a DECRYPT rejection.
        // GIVEN a plaintext whose length field says 500 but which holds a 2-byte msg
        byte[] plaintext = ByteBuffer.allocate(22).put(new byte[16]).putInt(500).put(utf8("{}")).array();
        byte[] body = FakeOneNetPushes.legacyEncryptedRaw(TOKEN, "n1", LegacyCipher.encryptRaw(CipherTest.LEGACY_KEY, plaintext));
        // WHEN parsed THEN rejected naming the length field
        assertRejected(() -> encrypted.parse(body), PushRejected.Reason.DECRYPT, "length field (500)");
    }

    @Test
    void theModeMustMatchTheConfiguration() {
        // Verifies that enc_msg without a configured aesKey, and plain msg with one, are DECRYPT rejections.
        assertRejected(() -> plain.parse(FakeOneNetPushes.legacyEncrypted(TOKEN, CipherTest.LEGACY_KEY, "n", SPEC_MSG)),
                PushRejected.Reason.DECRYPT, "no aesKey is configured");
        assertRejected(() -> encrypted.parse(FakeOneNetPushes.legacyPlain(TOKEN, "n", SPEC_MSG)), PushRejected.Reason.DECRYPT,
                "plain text");
    }

    @Test
    void malformedJsonIsRejectedWithLineAndColumn() {
        // Verifies that a syntax error is MALFORMED with its line and column.
        // GIVEN a body broken on its second line
        byte[] body = utf8("{\"msg\":{\"type\":1},\n \"nonce\": oops}");
        // WHEN parsed THEN the position is named
        assertRejected(() -> plain.parse(body), PushRejected.Reason.MALFORMED, "at line 2, column");
    }

    @Test
    void anUnknownTypeIsRejectedNamingIt() {
        // Verifies that a message type other than 1, 2, 7 is MALFORMED naming the field and the value.
        byte[] body = FakeOneNetPushes.legacyBatched(TOKEN, "n", List.of(SPEC_MSG, "{\"type\":5,\"dev_id\":1}"));
        assertRejected(() -> plain.parse(body), PushRejected.Reason.MALFORMED, "'msg[1].type' 5 is not a known message type");
    }

    @Test
    void aMissingOrWrongFieldIsNamedWithItsPath() {
        // Verifies that missing and ill-typed fields are MALFORMED naming their path in the batch.
        List<String> batch = List.of(SPEC_MSG, "{\"type\":1,\"dev_id\":1,\"at\":1}");
        assertRejected(() -> plain.parse(FakeOneNetPushes.legacyBatched(TOKEN, "n", batch)),
                PushRejected.Reason.MALFORMED, "'msg[1].ds_id' is missing");
        assertRejected(() -> plain.parse(one("{\"type\":1,\"dev_id\":1,\"ds_id\":\"t\",\"at\":\"x\"}")),
                PushRejected.Reason.MALFORMED, "'msg.at' must be an integer");
        assertRejected(() -> plain.parse(one("{\"type\":2,\"dev_id\":1,\"status\":3}")),
                PushRejected.Reason.MALFORMED, "'msg.status' must be 1 (online) or 0 (offline)");
        assertRejected(() -> plain.parse(one("{\"type\":7,\"dev_id\":1,\"cmd_id\":\"c\",\"cmd_type\":4}")),
                PushRejected.Reason.MALFORMED, "'msg.cmd_type' must be 1 (ACK) or 2 (Confirm)");
        assertRejected(() -> plain.parse(FakeOneNetPushes.legacyPlain(TOKEN, "n", "[1]")), PushRejected.Reason.MALFORMED,
                "'msg[0]' must be a JSON object");
        assertRejected(() -> plain.parse(utf8("{\"msg\":\"text\",\"msg_signature\":\"x\",\"nonce\":\"n\"}")),
                PushRejected.Reason.MALFORMED, "'msg' must be a JSON object or array");
        assertRejected(() -> plain.parse(utf8("{\"msg\":{},\"nonce\":\"n\"}")), PushRejected.Reason.MALFORMED,
                "'msg_signature' is missing");
    }

    @Test
    void anOversizedBodyIsRefusedBeforeParsing() {
        // Verifies that a body over the limit is TOO_LARGE, whatever it holds.
        // GIVEN a 1 MiB + 1 byte body
        byte[] body = new byte[1024 * 1024 + 1];
        // WHEN parsed THEN TOO_LARGE
        assertRejected(() -> plain.parse(body), PushRejected.Reason.TOO_LARGE, "larger than 1048576 bytes");
    }

    @Test
    void shapeChecksRefuseDeepNestingDuplicatesTrailingContentAndBadUtf8() {
        // Verifies the depth bound (TOO_LARGE), duplicate keys, trailing content, invalid UTF-8 and msg + enc_msg (MALFORMED).
        String deep = "[".repeat(40) + "]".repeat(40);
        assertRejected(() -> plain.parse(FakeOneNetPushes.legacyPlain(TOKEN, "n", FakeOneNetPushes.legacyDataPoint(1, "t", 1, deep))),
                PushRejected.Reason.TOO_LARGE, "nested deeper than 32");
        String twoMsgs = "{\"msg\":" + SPEC_MSG + ",\"msg\":{\"type\":1},\"msg_signature\":\""
                + FakeOneNetPushes.signature(TOKEN, "n", SPEC_MSG) + "\",\"nonce\":\"n\"}";
        assertRejected(() -> plain.parse(utf8(twoMsgs)), PushRejected.Reason.MALFORMED, "Duplicate field 'msg'");
        byte[] valid = FakeOneNetPushes.legacyPlain(TOKEN, "n", SPEC_MSG);
        assertRejected(() -> plain.parse(utf8(new String(valid, StandardCharsets.UTF_8) + "{}")), PushRejected.Reason.MALFORMED,
                "after the end");
        assertRejected(() -> plain.parse(new byte[] {'{', (byte) 0xC3, '}'}), PushRejected.Reason.MALFORMED, "body is not valid UTF-8");
        assertRejected(() -> plain.parse(utf8("[1]")), PushRejected.Reason.MALFORMED, "body must be a JSON object");
        String both = new String(FakeOneNetPushes.legacyEncrypted(TOKEN, CipherTest.LEGACY_KEY, "n", SPEC_MSG), StandardCharsets.UTF_8)
                .replace("{\"enc_msg\"", "{\"msg\":" + SPEC_MSG + ",\"enc_msg\"");
        assertRejected(() -> encrypted.parse(utf8(both)), PushRejected.Reason.MALFORMED, "both 'msg' and 'enc_msg'");
    }

    private static byte[] one(String msg) {
        return FakeOneNetPushes.legacyPlain(TOKEN, "n", msg);
    }

    private static List<String> keys(List<OneNetMessage> messages) {
        return messages.stream().map(OneNetMessage::dedupKey).collect(Collectors.toList());
    }

    static void assertRejected(ThrowingCallable call, PushRejected.Reason reason, String text) {
        assertThatThrownBy(call)
                .isInstanceOfSatisfying(PushRejected.class, e -> assertThat(e.reason()).isEqualTo(reason))
                .hasMessageContaining(text)
                .hasMessageNotContaining(TOKEN)
                .hasMessageNotContaining(CipherTest.LEGACY_KEY);
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
