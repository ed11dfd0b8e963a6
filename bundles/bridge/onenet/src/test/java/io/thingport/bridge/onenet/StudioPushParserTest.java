package io.thingport.bridge.onenet;

import static io.thingport.bridge.onenet.LegacyPushParserTest.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;

import io.thingport.bridge.onenet.fake.FakeOneNetPushes;
import io.thingport.bridge.support.PushRejected;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class StudioPushParserTest {
    private static final String TOKEN = "thingport01";
    private static final String AES_KEY = CipherTest.STUDIO_KEY;
    /** The spec's lifeCycle example, verbatim. */
    private static final String LIFECYCLE = "{\"productId\":\"C6z4Zk012B\",\"deviceId\":1343759,\"deviceName\":\"test01\","
            + "\"messageType\":\"lifeCycle\",\"data\":{\"status\":\"online\",\"time\":1631521919234}}";
    /** The spec's property example, verbatim (its line break included). */
    private static final String PROPERTY = "{\"productId\":\"C6z4Zk012B\",\"deviceName\":\"test01\",\"messageType\":\"notify\","
            + "\"notifyType\":\"property\",\n \"data\":{\"id\":\"1631522002438\",\"version\":\"1.0\",\"params\":{\"temp\":{\"value\":23.6,"
            + "\"time\":1631522002499}}}}";
    private static final String EVENTS = "{\"productId\":\"C6z4Zk012B\",\"deviceName\":\"test01\",\"messageType\":\"notify\","
            + "\"notifyType\":\"event\",\"data\":{\"id\":\"77\",\"version\":\"1.0\",\"params\":{"
            + "\"overheat\":{\"eventType\":\"warn\",\"time\":1631522002500,\"value\":{\"temp\":81.5}},"
            + "\"doorOpen\":{\"time\":1631522002501,\"value\":{\"door\":2}}}}}";
    private static final String REPLY = "{\"productId\":\"C6z4Zk012B\",\"deviceName\":\"test01\",\"messageType\":\"reply\","
            + "\"data\":{\"id\":\"42\",\"code\":200,\"msg\":\"success\",\"data\":{\"result\":true}}}";

    private final StudioPushParser plain = new StudioPushParser(TOKEN, Optional.empty(), PushLimits.DEFAULT);
    private final StudioPushParser secure = new StudioPushParser(TOKEN, Optional.of(AES_KEY), PushLimits.DEFAULT);

    @Test
    void theSpecsLifecycleExampleIsRead() {
        // Verifies that the spec's body and lifeCycle example give an online message carrying the push id and the device.
        // GIVEN the spec's body {"msg","nonce":"abcdefgh","signature","time":1591340648197,"id":"3799902"} around the example
        byte[] body = FakeOneNetPushes.studioPlain(TOKEN, "abcdefgh", "3799902", 1591340648197L, LIFECYCLE);
        // WHEN parsed
        List<OneNetMessage> messages = plain.parse(body);
        // THEN it is the online lifecycle of test01
        StudioSource source = new StudioSource("3799902", Optional.of("C6z4Zk012B"), Optional.of("test01"), Optional.of("1343759"));
        assertThat(messages).containsExactly(new StudioLifecycle(source, true, 1631521919234L));
    }

    @Test
    void theSpecsPropertyExampleIsRead() {
        // Verifies that the spec's property notify example gives a report with its message id, value and time.
        // GIVEN the spec's property example in a plain push
        byte[] body = FakeOneNetPushes.studioPlain(TOKEN, "abcdefgh", "3799902", 1591340648197L, PROPERTY);
        // WHEN parsed
        StudioPropertyReport report = (StudioPropertyReport) plain.parse(body).get(0);
        // THEN temp = 23.6 at 1631522002499, no deviceId
        assertThat(report.messageId()).contains("1631522002438");
        assertThat(report.source().deviceId()).isEmpty();
        assertThat(report.params()).containsExactly(Map.entry("temp", new TimedValue(23.6, OptionalLong.of(1631522002499L))));
    }

    @Test
    void eachEventBecomesItsOwnMessage() {
        // Verifies that notify/event gives one message per event id, with eventType optional and the value kept.
        // GIVEN two events in one push
        byte[] body = FakeOneNetPushes.studioPlain(TOKEN, "n", "5", 1L, EVENTS);
        // WHEN parsed
        List<OneNetMessage> messages = plain.parse(body);
        // THEN two events, in order, with distinct keys
        assertThat(messages).hasSize(2);
        StudioEvent overheat = (StudioEvent) messages.get(0);
        StudioEvent door = (StudioEvent) messages.get(1);
        assertThat(overheat.eventId()).isEqualTo("overheat");
        assertThat(overheat.eventType()).contains("warn");
        assertThat(overheat.value()).isEqualTo(Map.of("temp", 81.5));
        assertThat(door.eventType()).isEmpty();
        assertThat(door.time()).hasValue(1631522002501L);
        assertThat(overheat.dedupKey()).isNotEqualTo(door.dedupKey());
    }

    @Test
    void aReplyKeepsIdCodeMsgAndData() {
        // Verifies that messageType reply keeps the request id, code, msg and data.
        byte[] body = FakeOneNetPushes.studioPlain(TOKEN, "n", "6", 1L, REPLY);
        StudioReply reply = (StudioReply) plain.parse(body).get(0);
        assertThat(reply.messageId()).contains("42");
        assertThat(reply.code()).isEqualTo(200);
        assertThat(reply.message()).contains("success");
        assertThat(reply.data()).isEqualTo(Map.of("result", true));
    }

    @Test
    void securePushesAreCheckedOverTheCiphertextThenDecrypted() {
        // Verifies that secure mode decrypts every message type after checking the signature over the Base64 ciphertext.
        for (String msg : List.of(LIFECYCLE, PROPERTY, EVENTS, REPLY)) {
            // GIVEN a secure push
            byte[] body = FakeOneNetPushes.studioSecure(TOKEN, AES_KEY, "n", "7", 1L, msg);
            // WHEN parsed THEN it gives the same messages as the plain push with the same id
            assertThat(secure.parse(body)).isEqualTo(plain.parse(FakeOneNetPushes.studioPlain(TOKEN, "n", "7", 1L, msg)));
        }
    }

    @Test
    void aWrongAesKeyIsADecryptRejection() {
        // Verifies that a secure push made with another aesKey is a DECRYPT rejection.
        byte[] body = FakeOneNetPushes.studioSecure(TOKEN, "fedcba9876543210", "n", "7", 1L, LIFECYCLE);
        assertRejected(() -> secure.parse(body), PushRejected.Reason.DECRYPT, "'msg'");
    }

    @Test
    void aPlainPushToASecureBridgeIsRejected() {
        // Verifies that with an aesKey configured a plain-text msg is refused (it is not Base64 ciphertext).
        byte[] body = FakeOneNetPushes.studioPlain(TOKEN, "n", "7", 1L, LIFECYCLE);
        assertRejected(() -> secure.parse(body), PushRejected.Reason.DECRYPT, "'msg' is not Base64");
    }

    @Test
    void aBadSignatureIsRejected() {
        // Verifies that a push signed with another token is a SIGNATURE rejection naming 'signature'.
        byte[] body = FakeOneNetPushes.studioPlain("otherToken", "n", "7", 1L, LIFECYCLE);
        assertRejected(() -> plain.parse(body), PushRejected.Reason.SIGNATURE, "'signature' does not match");
    }

    @Test
    void aRepeatedPushGivesTheSameKeysAndAnotherPushIdOthers() {
        // Verifies that the same push (re-signed with a new nonce) repeats its keys, and so does the same msg under another
        // push id (the id is not signed: a replay with a new id must not pass as new); another msg gives new keys.
        // GIVEN the same event push twice, once more under another id, and another msg
        List<String> first = keys(plain.parse(FakeOneNetPushes.studioPlain(TOKEN, "n1", "100", 1L, EVENTS)));
        List<String> again = keys(plain.parse(FakeOneNetPushes.studioPlain(TOKEN, "n2", "100", 2L, EVENTS)));
        List<String> replayed = keys(plain.parse(FakeOneNetPushes.studioPlain(TOKEN, "n1", "101", 1L, EVENTS)));
        String later = EVENTS.replace("\"time\":", "\"time\":9");
        List<String> other = keys(plain.parse(FakeOneNetPushes.studioPlain(TOKEN, "n1", "100", 1L, later)));
        // THEN
        assertThat(again).isEqualTo(first);
        assertThat(replayed).isEqualTo(first);
        assertThat(Set.copyOf(other)).doesNotContainAnyElementsOf(first);
    }

    @Test
    void differentContentUnderOnePushIdGivesDifferentKeys() {
        // Verifies that two property reports that differ only in a value do not collide.
        String other = PROPERTY.replace("23.6", "23.7");
        String a = plain.parse(FakeOneNetPushes.studioPlain(TOKEN, "n", "9", 1L, PROPERTY)).get(0).dedupKey();
        String b = plain.parse(FakeOneNetPushes.studioPlain(TOKEN, "n", "9", 1L, other)).get(0).dedupKey();
        assertThat(a).isNotEqualTo(b);
    }

    @Test
    void unknownTypesAndBadShapesAreNamed() {
        // Verifies that unknown messageType/notifyType and missing or wrong fields are MALFORMED naming them.
        assertRejected(() -> plain.parse(push(LIFECYCLE.replace("lifeCycle", "bogus"))), PushRejected.Reason.MALFORMED,
                "'msg.messageType' \"bogus\" is not known");
        assertRejected(() -> plain.parse(push(PROPERTY.replace("\"property\"", "\"service\""))), PushRejected.Reason.MALFORMED,
                "'msg.notifyType' \"service\" is not known");
        assertRejected(() -> plain.parse(push(LIFECYCLE.replace("\"online\"", "\"asleep\""))), PushRejected.Reason.MALFORMED,
                "'msg.data.status' must be \"online\" or \"offline\"");
        assertRejected(() -> plain.parse(push(PROPERTY.replace("\"value\":23.6,", ""))), PushRejected.Reason.MALFORMED,
                "'msg.data.params.temp.value' is missing");
        assertRejected(() -> plain.parse(push("{\"messageType\":\"lifeCycle\"}")), PushRejected.Reason.MALFORMED, "'msg.data' is missing");
        assertRejected(() -> plain.parse(push("{\"messageType\":\"lifeCycle\",")), PushRejected.Reason.MALFORMED,
                "'msg' is not valid JSON at line 1, column");
        assertRejected(() -> plain.parse(LegacyPushParserTest.utf8("{\"msg\":{},\"nonce\":\"n\",\"signature\":\"s\"}")),
                PushRejected.Reason.MALFORMED, "'msg' must be a string");
    }

    @Test
    void offlineIsRead() {
        // Verifies that status offline gives online=false.
        StudioLifecycle lifecycle = (StudioLifecycle) plain.parse(push(LIFECYCLE.replace("\"online\"", "\"offline\""))).get(0);
        assertThat(lifecycle.online()).isFalse();
    }

    private static byte[] push(String msg) {
        return FakeOneNetPushes.studioPlain(TOKEN, "n", "1", 1L, msg);
    }

    private static List<String> keys(List<OneNetMessage> messages) {
        return messages.stream().map(OneNetMessage::dedupKey).collect(Collectors.toList());
    }
}
